/**
 * Runs in a child Node process (dist/load-child.cjs): evaluates the bundled clockwork.ts
 * and sends back the declared resources as plain data. Positions are mapped back to the
 * user's file through the bundle's source map. argv[2] is the clockwork module.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { collectValidationErrors, dependencyProblem, isResource, type ResourceInstance } from '../../model/define.js';
import { ClockworkValidationError, describeValue } from '../../model/errors.js';
import { isHost, type HostInstance } from '../../model/host.js';
import { installLocator, stackLocations } from '../../model/location.js';
import { BundlePositions } from './sourceMapLocator.js';
import type { LoadProblem, LoadReply, LoadRequest } from './protocol.js';

type ModuleInternals = typeof Module & {
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  _nodeModulePaths(dir: string): string[];
};

const clockworkModule = process.argv[2] ?? '';

// The clockwork module loads now, while the parent is still bundling clockwork.ts; the user's
// `import … from "clockwork"` then finds it loaded. A failure here shows again, with its
// message, when clockwork.ts imports it.
try {
  if (clockworkModule) Module.createRequire(clockworkModule)(clockworkModule);
} catch {
  // Reported by evaluate().
}

/** Makes `import … from "clockwork"` resolve to this Clockwork's module, whatever node_modules holds. */
function redirectClockworkImport(): void {
  const internals = Module as ModuleInternals;
  const original = internals._resolveFilename;
  internals._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
    if (request === 'clockwork') return clockworkModule;
    return original.call(this, request, parent, ...rest);
  };
}

function evaluate(request: LoadRequest): Record<string, unknown> {
  const internals = Module as ModuleInternals;
  const userModule = new Module(request.filename) as Module & { _compile(code: string, filename: string): void };
  userModule.filename = request.filename;
  userModule.paths = internals._nodeModulePaths(path.dirname(request.filename));
  userModule._compile(request.code, request.filename);
  return userModule.exports as Record<string, unknown>;
}

/** Default export (one resource or an array) first, then other exported resources; source order. */
function collectResources(exports: Record<string, unknown>, problems: LoadProblem[]): ResourceInstance[] {
  const found = new Set<ResourceInstance>();
  const visit = (value: unknown, where: string, strict: boolean): void => {
    if (isResource(value)) {
      found.add(value);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${where}[${index}]`, strict));
    } else if (strict && value !== undefined && !isHost(value)) {
      problems.push({ message: `${where} is not a resource (got ${describeValue(value)}); export resources such as new FileResource({...})` });
    }
  };
  visit(exports['default'], 'the default export', true);
  for (const [name, value] of Object.entries(exports)) {
    if (name !== 'default' && name !== '__esModule') visit(value, `export ${name}`, false);
  }
  const position = (resource: ResourceInstance): number =>
    resource.location ? resource.location.line * 1e6 + resource.location.column : Number.MAX_SAFE_INTEGER;
  return [...found].sort((a, b) => position(a) - position(b));
}

/**
 * Dependencies checked once the file has run (`dependsOn.push` may have added some): each
 * must be a resource the file exports, so that apply deploys it.
 */
function dependencyProblems(resources: readonly ResourceInstance[]): LoadProblem[] {
  const exported = new Set<unknown>(resources);
  const problems: LoadProblem[] = [];
  for (const resource of resources) {
    const subject = `${resource.kind} ${JSON.stringify(resource.spec['name'])}`;
    resource.dependsOn.forEach((dependency, index) => {
      const notResource = dependencyProblem(dependency);
      const message = notResource
        ? `dependsOn.${index}: ${notResource}`
        : exported.has(dependency)
          ? undefined
          : `dependsOn.${index}: ${dependency.kind} ${JSON.stringify(dependency.spec['name'])} is not exported from the file, so apply would not deploy it; export it too (e.g. add it to the default export)`;
      if (message) problems.push({ message: `${subject}: ${message}`, ...(resource.location ? { location: resource.location } : {}) });
    });
  }
  return problems;
}

/** Hosts exported by name or in an exported array (those only in targets travel with their resources). */
function collectHosts(exports: Record<string, unknown>): HostInstance[] {
  const found = new Set<HostInstance>();
  for (const [name, value] of Object.entries(exports)) {
    if (name === '__esModule') continue;
    for (const item of Array.isArray(value) ? value : [value]) if (isHost(item)) found.add(item);
  }
  return [...found];
}

function reply(message: LoadReply): void {
  process.send?.(message, () => process.exit(0));
}

process.once('message', (request: LoadRequest) => {
  const positions = new BundlePositions(request.code, request.filename);
  installLocator(positions.locator());
  redirectClockworkImport();
  const validationErrors = collectValidationErrors();
  let exports: Record<string, unknown>;
  try {
    exports = evaluate(request);
  } catch (error) {
    const stack = error instanceof Error ? error.stack : undefined;
    const frame = stackLocations(stack).find((location) => location.file === request.filename);
    const location = frame ? positions.original(frame.line, frame.column) : undefined;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : `a thrown ${describeValue(error)}`;
    reply({ ok: false, problems: [{ message: `loading failed: ${text}`, ...(location ? { location } : {}) }] });
    return;
  }
  // Messages go without their location: the parent renders it relative to its own folder.
  const problems: LoadProblem[] = validationErrors.map((error) => ({
    message: new ClockworkValidationError(error.kind, error.label, error.issues, undefined).message,
    kind: error.kind,
    ...(error.label !== undefined ? { label: error.label } : {}),
    issues: [...error.issues],
    ...(error.location ? { location: error.location } : {}),
  }));
  const resources = collectResources(exports, problems);
  problems.push(...dependencyProblems(resources));
  const hosts = collectHosts(exports).map((host) => host.toJSON());
  reply({ ok: true, resources: resources.map((resource) => resource.toJSON()), ...(hosts.length > 0 ? { hosts } : {}), problems });
});
