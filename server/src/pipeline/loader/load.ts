/**
 * Loading clockwork.ts: bundle it with esbuild (with `clockwork` resolved to this
 * Clockwork's own module), evaluate it in a child Node process with a timeout and no
 * stdin, and validate what it declared. The editor never loads files this way to
 * validate; the language server reads them statically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { execaNode } from 'execa';
import { dependencyCycles } from '../../model/dependencies.js';
import { validateSpec, type AssertionDefinition, type ResourceData, type ResourceDefinition } from '../../model/define.js';
import { ClockworkError, ClockworkValidationError } from '../../model/errors.js';
import { formatLocation, type SourceLocation } from '../../model/location.js';
import { assertionDefinition, resourceDefinition } from '../../model/registry.js';
import { distFile } from '../paths.js';
import { loadHosts, type LoadedHost } from './hosts.js';
import type { LoadProblem, LoadReply, LoadRequest } from './protocol.js';

/** The file names the loader looks for in a project folder. */
export const CLOCKWORK_FILE = 'clockwork.ts';

/** An assertion as loaded: its definition, validated spec and where it was written. */
export interface LoadedAssertion {
  definition: AssertionDefinition;
  kind: string;
  spec: Record<string, unknown>;
  location: SourceLocation | undefined;
  /** Position among its resource's assertions (0-based). */
  index: number;
}

/** A resource as loaded. */
export interface LoadedResource {
  definition: ResourceDefinition;
  kind: string;
  name: string;
  spec: Record<string, unknown> & { name: string };
  assertions: LoadedAssertion[];
  /** The names of the resources it depends on (`dependsOn`), all declared in the project. */
  dependsOn: string[];
  /** The names of the hosts it goes to; absent or empty for this machine. */
  targets?: string[];
  location: SourceLocation | undefined;
}

/** What clockwork.ts declared. */
export interface LoadedProject {
  /** Absolute folder that holds clockwork.ts. */
  projectDir: string;
  /** Absolute path of clockwork.ts. */
  file: string;
  resources: LoadedResource[];
  /** Every host its resources target or it exports, each once (absent: none). */
  hosts?: LoadedHost[];
}

export type { LoadedHost };

/**
 * clockwork.ts could not be loaded. `problems` lists every problem found, each with its
 * location; the message has one line per problem, `file:line:col …`.
 */
export class ClockworkLoadError extends ClockworkError {
  override name = 'ClockworkLoadError';

  constructor(
    readonly file: string,
    readonly problems: readonly LoadProblem[],
  ) {
    super(problems.map((problem) => renderProblem(file, problem)).join('\n'));
  }
}

function renderProblem(file: string, problem: LoadProblem): string {
  const where = problem.location ? formatLocation(problem.location, process.cwd()) : path.relative(process.cwd(), file) || file;
  return problem.message
    .split('\n')
    .map((line) => `${where} ${line}`)
    .join('\n');
}

/** Options for `loadProject`. */
export interface LoadOptions {
  /** A project folder (holding clockwork.ts) or the path of a clockwork.ts file. */
  target: string;
  /** How long evaluation may take; default 10 s. */
  timeoutMs?: number;
  /** Stops loading (the child process is killed). */
  signal?: AbortSignal;
  /** Receives what clockwork.ts prints while it loads, line by line. */
  onOutput?: (line: string) => void;
}

/** Finds clockwork.ts for a folder or file argument. */
export function locateClockworkFile(target: string): string {
  const resolved = path.resolve(target);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat) throw new ClockworkError(`${target}: no such file or folder`);
  const file = stat.isDirectory() ? path.join(resolved, CLOCKWORK_FILE) : resolved;
  if (!fs.existsSync(file)) {
    throw new ClockworkError(`No ${CLOCKWORK_FILE} in ${resolved}: create one (or use --dir to point at the project folder)`);
  }
  return file;
}

/** Loads and validates a clockwork.ts. Throws ClockworkLoadError with every problem found. */
export async function loadProject(options: LoadOptions): Promise<LoadedProject> {
  const file = locateClockworkFile(options.target);
  const projectDir = path.dirname(file);
  // The child starts (Node, then the clockwork module) while esbuild bundles clockwork.ts.
  const child = startChild(file, options);
  let code: string;
  try {
    code = await bundle(file);
  } catch (error) {
    child.stop();
    throw error;
  }
  const reply = await child.evaluate(code);
  const problems = [...reply.problems];
  if (!reply.ok) throw new ClockworkLoadError(file, problems);

  // The child already reported invalid declarations; re-validation here only guards the data.
  const revalidationProblems: LoadProblem[] = [];
  const resources = reply.resources.map((data) => toLoadedResource(data, revalidationProblems));
  const hosts = loadHosts(reply.resources, reply.hosts ?? [], revalidationProblems);
  if (problems.length === 0) problems.push(...revalidationProblems);
  problems.push(...duplicateNameProblems(resources));
  if (problems.length === 0) problems.push(...cycleProblems(resources));
  if (problems.length > 0) throw new ClockworkLoadError(file, sortByLocation(problems));
  if (resources.length === 0) {
    throw new ClockworkLoadError(file, [
      {
        message:
          'declares no resources: export them, e.g. `export default [new FileResource({ name: "notes.md", content: "…" })]`',
      },
    ]);
  }
  return { projectDir, file, resources, hosts };
}

async function bundle(file: string): Promise<string> {
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      external: ['clockwork'],
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.text ?? '';
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    throw new ClockworkLoadError(
      file,
      failure.errors.map((message) => ({
        message: `syntax error: ${message.text}`,
        ...(message.location
          ? {
              location: {
                file: path.resolve(path.dirname(file), message.location.file),
                line: message.location.line,
                column: message.location.column + 1,
              },
            }
          : {}),
      })),
    );
  }
}

/** The child process that evaluates the bundle: started first, sent the code once it is ready. */
interface LoadChild {
  evaluate(code: string): Promise<LoadReply>;
  stop(): void;
}

function startChild(filename: string, options: LoadOptions): LoadChild {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // The last lines of stderr explain a crash, whether or not the caller also receives them.
  const stderrTail: string[] = [];
  const onStderr = (line: string): void => {
    if (line.trim()) stderrTail.push(line.trim());
    if (stderrTail.length > 3) stderrTail.shift();
    options.onOutput?.(line);
  };
  const child = execaNode(distFile('load-child.cjs'), [distFile('clockwork.cjs')], {
    ipc: true,
    serialization: 'json',
    stdin: 'ignore',
    cwd: path.dirname(filename),
    timeout: timeoutMs,
    forceKillAfterDelay: 1000,
    reject: false,
    // A clean Node: not the parent's flags (e.g. a test runner's --import loader).
    nodeOptions: [],
    // VS Code runs extensions under Electron: this makes its binary behave as Node.
    env: { ELECTRON_RUN_AS_NODE: '1' },
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    stdout: options.onOutput ? ['pipe', { transform: lineSink(options.onOutput) }] : 'ignore',
    stderr: ['pipe', { transform: lineSink(onStderr) }],
  });
  const replyPromise = child.getOneMessage().catch(() => undefined);
  return {
    stop: () => {
      child.kill();
    },
    evaluate: async (code) => {
      await child.sendMessage({ code, filename } satisfies LoadRequest).catch(() => undefined);
      const [message, result] = await Promise.all([replyPromise, child]);
      if (result.timedOut) {
        throw new ClockworkLoadError(filename, [
          {
            message: `did not finish loading within ${timeoutMs / 1000} s and was stopped (an endless loop?); raise CLOCKWORK_LOAD_TIMEOUT if it needs longer`,
          },
        ]);
      }
      if (result.isCanceled) throw new ClockworkError('Loading was cancelled');
      if (!message) {
        const detail = stderrTail.length > 0 ? `: ${stderrTail.join(' ')}` : '';
        throw new ClockworkLoadError(filename, [{ message: `loading stopped without a result (exit code ${result.exitCode ?? result.signal})${detail}` }]);
      }
      return message as unknown as LoadReply;
    },
  };
}

function lineSink(onLine: (line: string) => void) {
  return function* (line: unknown): Generator<never> {
    onLine(String(line));
  };
}

function toLoadedResource(data: ResourceData, problems: LoadProblem[]): LoadedResource {
  const definition = resourceDefinition(data.kind);
  if (!definition) throw new ClockworkError(`Unknown resource kind ${data.kind}`);
  // Re-validate in this process: the child's data is re-checked, not trusted.
  const checked = validateSpec(definition.schema, data.spec);
  if (!checked.ok) {
    problems.push({
      message: new ClockworkValidationError(data.kind, data.spec.name, checked.issues, undefined).message,
      ...(data.location ? { location: data.location } : {}),
    });
  }
  const assertions = data.assertions.map((assertion, index): LoadedAssertion => {
    const assertionDef = assertionDefinition(assertion.kind);
    if (!assertionDef) throw new ClockworkError(`Unknown assertion kind ${assertion.kind}`);
    const parsed = validateSpec(assertionDef.schema, assertion.spec);
    return {
      definition: assertionDef,
      kind: assertion.kind,
      spec: parsed.ok ? (parsed.spec as Record<string, unknown>) : assertion.spec,
      location: assertion.location,
      index,
    };
  });
  const spec = (checked.ok ? checked.spec : data.spec) as LoadedResource['spec'];
  const targets = (data.targets ?? []).map((host) => host.spec.name);
  return { definition, kind: data.kind, name: spec.name, spec, assertions, dependsOn: [...(data.dependsOn ?? [])], targets, location: data.location };
}

/** A problem for each resource in a dependency cycle, naming the whole cycle. */
function cycleProblems(resources: readonly LoadedResource[]): LoadProblem[] {
  const byName = new Map(resources.map((resource) => [resource.name, resource]));
  return dependencyCycles(resources, { nameOf: (resource) => resource.name, dependenciesOf: (resource) => resource.dependsOn }).flatMap(
    (cycle) => {
      const path = cycle.map((name) => `${byName.get(name)?.kind ?? 'resource'} ${JSON.stringify(name)}`).join(' → ');
      return [...new Set(cycle)].map((name): LoadProblem => {
        const resource = byName.get(name) as LoadedResource;
        return {
          message: `${resource.kind} ${JSON.stringify(name)}: dependsOn: dependency cycle ${path} (each depends on the next); a resource cannot come after itself, so remove one of these dependsOn`,
          ...(resource.location ? { location: resource.location } : {}),
        };
      });
    },
  );
}

function sortByLocation(problems: LoadProblem[]): LoadProblem[] {
  const key = (problem: LoadProblem): number => (problem.location ? problem.location.line * 1e6 + problem.location.column : 0);
  return [...problems].sort((a, b) => key(a) - key(b));
}

function duplicateNameProblems(resources: LoadedResource[]): LoadProblem[] {
  const byName = new Map<string, LoadedResource[]>();
  for (const resource of resources) byName.set(resource.name, [...(byName.get(resource.name) ?? []), resource]);
  const problems: LoadProblem[] = [];
  for (const [name, group] of byName) {
    if (group.length < 2) continue;
    const places = group.map((r) => (r.location ? `line ${r.location.line}` : 'unknown line')).join(', ');
    for (const resource of group) {
      problems.push({
        message: `${resource.kind} ${JSON.stringify(name)}: name: duplicate name (declared at ${places}); resource names must be unique`,
        ...(resource.location ? { location: resource.location } : {}),
      });
    }
  }
  return problems;
}
