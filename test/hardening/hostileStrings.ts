/**
 * Item 2 of the hardening issue: hostile strings end to end.
 *
 * fast-check builds strings from quotes, `"""`, backslashes, newlines, `$(…)`, backticks,
 * `;`, `&&`, unicode and emoji, plus payloads that would create a canary file if they ever
 * ran as shell or Python code. They go into every string field a user controls (as far as
 * each schema allows; what a schema rejects is counted, not forced through), then through
 * the real path: a clockwork.ts written with the values, the real loader, compile, python's
 * own parser (each value must come back exactly), `py_compile`, a real PyInfra deploy of
 * the file resources where PyInfra is installed (the file on disk must hold exactly its
 * content), and every assertion check script run by `sh`. After each batch the canary
 * folder must still be empty.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { validateSpec } from '../../server/src/model/define.js';
import { filePath } from '../../server/src/model/resources/fileResource.js';
import { resourceDefinition, assertionDefinition } from '../../server/src/model/registry.js';
import { apply } from '../../server/src/pipeline/apply.js';
import { planChecks } from '../../server/src/pipeline/assert/plan.js';
import { parseCheckOutput, RESULT_MARKER } from '../../server/src/codegen/checks.js';
import { checkScript } from '../../server/src/codegen/hostScript.js';
import { shellQuote } from '../../server/src/codegen/shell.js';
import { compileApply, writePrograms } from '../../server/src/pipeline/compile/compile.js';
import { loadProject, type LoadedProject } from '../../server/src/pipeline/loader/load.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { findPyinfra } from '../support/pyinfra.js';
import { parseProgram, pyCompile } from '../support/python.js';

const execFileAsync = promisify(execFile);

/** The figures of one run. */
export interface HostileFigures {
  seed: number;
  /** Hostile cases tried (each: one file resource, one service, five assertions). */
  cases: number;
  /** Field values the schemas accepted and that went through the pipeline. */
  valuesThrough: number;
  /** Field values a schema rejected (not forced through). */
  valuesRejected: number;
  /** Generated programs that passed py_compile. */
  programsCompiled: number;
  /** Values python's parser read back different from what the user wrote. */
  literalMismatches: number;
  /** Files deployed for real by PyInfra, and those whose content on disk differed. */
  filesDeployed: number;
  contentMismatches: number;
  /** Check scripts run with sh, and those that did not report a result line. */
  shChecks: number;
  shBroken: number;
  /** Canary files found: an injected command ran. */
  injections: number;
  pyinfra: boolean;
  durationMs: number;
  failures: string[];
}

/** Options of a run. */
export interface HostileOptions {
  cases: number;
  seed: number;
  /** Cases per clockwork.ts / PyInfra run / sh process. */
  batch?: number;
  /** How many of the cases are also deployed with PyInfra when it is installed (default: all; 0: none). */
  deployCases?: number;
}

/** Fragments hostile strings are made of; `CANARY` is replaced by the canary file's path. */
const FRAGMENTS = [
  '"', "'", '"""', "'''", '\\', '\\\\', '\n', '\r\n', '\t', '$(', ')', '`', ';', '&&', '||', '|', '>', '<', '&', '*', '?', '~', '#', '!', '{', '}', '$HOME', '${IFS}',
  'é', 'ü', '日本', '🦀', '👩‍👩‍👧', '\u202e', '\u00a0', '%s', '%(x)s', '{0}', '\\x41', '\\u0041', '\\N{BULLET}',
  // What no file system, shell or PyInfra can carry: the schemas must refuse it (issue 11).
  '\0', '\ud800', '\udfff', 'a\udc00b', '.', '..', 'a'.repeat(256), 'é'.repeat(128), '🦀'.repeat(64),
  '$(touch CANARY)', '`touch CANARY`', '; touch CANARY', '&& touch CANARY', '| touch CANARY', '\ntouch CANARY\n',
  "'; touch CANARY; '", '"; touch CANARY; "', '"""; import os; os.system("touch CANARY"); """',
  "'+__import__('os').system('touch CANARY')+'", '"+__import__("os").system("touch CANARY")+"', '\\"); __import__("os").system("touch CANARY"); ("',
];

/** A hostile string: fragments and arbitrary unicode, joined. */
function hostile(canary: string): fc.Arbitrary<string> {
  const fragment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  );
  return fc.array(fragment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('').replaceAll('CANARY', canary));
}

interface Case {
  name: string;
  directory: string;
  content: string;
  env: string;
  image: string;
  volume: string;
  url: string;
  pattern: string;
  processName: string;
  checkPath: string;
  container: string;
}

function caseArbitrary(canary: string): fc.Arbitrary<Case> {
  const h = hostile(canary);
  return fc.record({
    name: h, directory: h, content: h, env: h, image: h, volume: h, url: h, pattern: h, processName: h, checkPath: h, container: h,
  });
}

/** True when `value` passes `schema` of `kind` at `field`, checked the way the loader does. */
function accepts(kind: string, spec: Record<string, unknown>): boolean {
  const definition = resourceDefinition(kind) ?? assertionDefinition(kind);
  if (!definition) throw new Error(`unknown kind ${kind}`);
  return validateSpec(definition.schema, spec).ok;
}

/** Turns one case into declarations, each hostile value kept where its schema accepts it. */
function declarations(index: number, value: Case, counts: { through: number; rejected: number }) {
  // Every value goes to the schema as it is: what it accepts must then deploy and check exactly
  // (lone surrogates, NUL in a shell word, names over 255 bytes, "." and ".." must be refused).
  const pick = (kind: string, base: Record<string, unknown>, field: string, hostileValue: unknown, safe: unknown): unknown => {
    if (accepts(kind, { ...base, [field]: hostileValue })) {
      counts.through += 1;
      return hostileValue;
    }
    counts.rejected += 1;
    return safe;
  };
  const fileBase: Record<string, unknown> = { name: `f${index}.txt`, content: 'x' };
  // Unique names: the index first (but "." and ".." as they are, to be refused).
  const nameValue = value.name === '.' || value.name === '..' ? value.name : `${index}-${value.name}`;
  const name = pick('FileResource', fileBase, 'name', nameValue, `f${index}.txt`) as string;
  // Directories stay inside the project: no absolute paths, no "..".
  const directoryValue = `d/${value.directory.replaceAll('..', '_')}`;
  const directory = pick('FileResource', { ...fileBase, name }, 'directory', directoryValue, 'd') as string;
  const file = {
    name,
    directory,
    content: pick('FileResource', { ...fileBase, name, directory }, 'content', value.content, 'x'),
    description: pick('FileResource', fileBase, 'description', value.content, 'd'),
  };
  const serviceBase: Record<string, unknown> = { name: `s${index}`, image: 'busybox:1' };
  const service = {
    name: pick('DockerServiceResource', serviceBase, 'name', `s${index}${value.container}`, `s${index}`),
    description: pick('DockerServiceResource', serviceBase, 'description', value.content, 'd'),
    image: pick('DockerServiceResource', serviceBase, 'image', value.image, 'busybox:1'),
    envVars: pick('DockerServiceResource', serviceBase, 'envVars', { HOSTILE: value.env }, { HOSTILE: 'x' }) as { HOSTILE: string },
    volumes: pick('DockerServiceResource', serviceBase, 'volumes', [`${value.volume}:/data`], ['v:/data']),
  };
  const target = `${directory}/${name}`;
  const assertions = [
    { kind: 'FileContentMatchesAssert', spec: { path: target, pattern: pick('FileContentMatchesAssert', { path: 'a' }, 'pattern', value.pattern, 'x'), timeoutSeconds: 0.001 } },
    { kind: 'FileExistsAssert', spec: { path: pick('FileExistsAssert', {}, 'path', value.checkPath, 'a'), timeoutSeconds: 0.001 } },
    { kind: 'HealthcheckAssert', spec: { url: pick('HealthcheckAssert', {}, 'url', `http://127.0.0.1:9/${value.url}`, 'http://127.0.0.1:9/'), timeoutSeconds: 0.001 } },
    { kind: 'ProcessRunningAssert', spec: { name: pick('ProcessRunningAssert', {}, 'name', value.processName, 'x'), timeoutSeconds: 0.001 } },
  ];
  const serviceAssertions = [
    { kind: 'LogContainsAssert', spec: { pattern: pick('LogContainsAssert', { lines: 5 }, 'pattern', value.pattern, 'x'), lines: 5, timeoutSeconds: 0.001 } },
  ];
  return { file, service, assertions, serviceAssertions };
}

function source(parts: ReturnType<typeof declarations>[]): string {
  const args = (spec: object): string => JSON.stringify(spec);
  const assertions = (list: { kind: string; spec: object }[]): string => list.map((a) => `new ${a.kind}(${args(a.spec)})`).join(', ');
  const kinds = ['FileResource', 'DockerServiceResource', 'FileContentMatchesAssert', 'FileExistsAssert', 'HealthcheckAssert', 'ProcessRunningAssert', 'LogContainsAssert'];
  const lines = parts.flatMap((part) => [
    `  new FileResource({ ...${args(part.file)}, assertions: [${assertions(part.assertions)}] }),`,
    `  new DockerServiceResource({ ...${args(part.service)}, assertions: [${assertions(part.serviceAssertions)}] }),`,
  ]);
  return `import { ${kinds.join(', ')} } from 'clockwork';\n\nexport default [\n${lines.join('\n')}\n];\n`;
}

/** Runs the hostile-strings test. */
export async function runHostileStrings(options: HostileOptions): Promise<HostileFigures> {
  const started = performance.now();
  const pyinfra = options.deployCases === 0 ? undefined : findPyinfra();
  const deployCases = options.deployCases ?? options.cases;
  const batch = options.batch ?? 100;
  const figures: HostileFigures = {
    seed: options.seed, cases: 0, valuesThrough: 0, valuesRejected: 0, programsCompiled: 0, literalMismatches: 0,
    filesDeployed: 0, contentMismatches: 0, shChecks: 0, shBroken: 0, injections: 0, pyinfra: pyinfra !== undefined,
    durationMs: 0, failures: [],
  };
  const fail = (message: string): void => {
    if (figures.failures.length < 20) figures.failures.push(message);
  };
  for (let done = 0, round = 0; done < options.cases; round++) {
    const size = Math.min(batch, options.cases - done);
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-hostile-')));
    const canaryDir = `${dir}-canary`;
    fs.mkdirSync(canaryDir);
    const canary = path.join(canaryDir, 'pwned');
    try {
      const cases = fc.sample(caseArbitrary(canary), { seed: options.seed + round, numRuns: size });
      const counts = { through: 0, rejected: 0 };
      const parts = cases.map((value, index) => declarations(done + index, value, counts));
      figures.valuesThrough += counts.through;
      figures.valuesRejected += counts.rejected;
      fs.writeFileSync(path.join(dir, 'clockwork.ts'), source(parts));
      let project: LoadedProject;
      try {
        project = await loadProject({ target: dir, timeoutMs: 60_000 });
      } catch (error) {
        fail(`round ${round}: the loader refused values the schemas accept: ${String(error).slice(0, 800)} (kept in ${dir})`);
        figures.cases += size;
        done += size;
        continue;
      }
      // Compile everything; python reads each value back.
      const outputDir = path.join(dir, '.clockwork/pyinfra');
      const compiled = compileApply(project.resources, [], [], dir);
      writePrograms(outputDir, [compiled.deploy, compiled.destroy]);
      const programs = [path.join(outputDir, 'deploy.py'), path.join(outputDir, 'destroy.py')];
      pyCompile(programs);
      figures.programsCompiled += programs.length;
      const calls = parseProgram(programs[0]!);
      parts.forEach((part, index) => {
        const put = calls.find((call) => call.call === 'files.put' && call.kwargs['dest'] === filePath(part.file, dir));
        const content = (put?.kwargs['src'] as { StringIO?: string } | undefined)?.StringIO;
        if (content !== part.file.content) {
          figures.literalMismatches += 1;
          fail(`case ${done + index}: files.put for ${JSON.stringify(part.file.name)} reads back ${JSON.stringify(content)} instead of ${JSON.stringify(part.file.content)}`);
        }
        const container = calls.find((call) => call.call === 'docker.container' && call.kwargs['container'] === part.service.name);
        // PyInfra's docker operation pastes these into a shell command: they must arrive as one quoted word each.
        const expected = {
          image: shellQuote(part.service.image as string),
          env_vars: [shellQuote(`HOSTILE=${part.service.envVars.HOSTILE}`)],
          volumes: (part.service.volumes as string[]).map(shellQuote),
        };
        const actual = container && { image: container.kwargs['image'], env_vars: container.kwargs['env_vars'], volumes: container.kwargs['volumes'] };
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          figures.literalMismatches += 1;
          fail(`case ${done + index}: docker.container for ${JSON.stringify(part.service.name)} reads back ${JSON.stringify(container?.kwargs)}`);
        }
      });
      // Deploy the files for real.
      if (pyinfra && figures.filesDeployed < deployCases) {
        const files: LoadedProject = { ...project, resources: project.resources.filter((resource) => resource.kind === 'FileResource') };
        const settings = resolveSettings({ projectDir: dir, environment: { PYINFRA_PATH: pyinfra } });
        const result = await apply({ settings, project: files });
        if (!result.ok) fail(`round ${round}: apply failed: ${result.error ?? JSON.stringify(result.results.filter((r) => r.status === 'failed')).slice(0, 800)}`);
        for (const part of parts) {
          const target = filePath(part.file, dir);
          figures.filesDeployed += 1;
          const onDisk = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
          if (onDisk !== part.file.content) {
            figures.contentMismatches += 1;
            fail(`file ${JSON.stringify(target)} holds ${JSON.stringify(onDisk)} instead of ${JSON.stringify(part.file.content)}`);
          }
        }
      }
      // Every check script, each in a subshell of one sh process.
      const checks = planChecks(project);
      // Two sh processes (one per core), each running half the scripts in subshells.
      const halves = [checks.filter((_, index) => index % 2 === 0), checks.filter((_, index) => index % 2 === 1)];
      const outputs = await Promise.all(
        halves.map(async (half, which) => {
          const scriptFile = path.join(dir, `checks-${which}.sh`);
          fs.writeFileSync(scriptFile, half.map((check) => `(\n${checkScript(check.check)}\n)`).join('\n'));
          try {
            return (await execFileAsync('sh', [scriptFile], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 })).stdout;
          } catch (error) {
            return String((error as { stdout?: string }).stdout ?? '');
          }
        }),
      );
      const stdout = outputs.join('\n');
      const scriptFile = path.join(dir, 'checks-*.sh');
      const reported = stdout.split('\n').filter((line) => line.startsWith(`${RESULT_MARKER}\t`) && parseCheckOutput(line) !== undefined).length;
      figures.shChecks += checks.length;
      if (reported !== checks.length) {
        figures.shBroken += checks.length - reported;
        fail(`round ${round}: ${checks.length} check scripts, ${reported} result lines (script kept in ${scriptFile})`);
      }
      const found = fs.readdirSync(canaryDir);
      if (found.length > 0) {
        figures.injections += found.length;
        fail(`round ${round}: an injected command ran: ${found.join(', ')} in ${canaryDir} (project kept in ${dir})`);
      }
      figures.cases += size;
      done += size;
      if (figures.failures.length === 0) fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      fs.rmSync(canaryDir, { recursive: true, force: true });
    }
  }
  figures.durationMs = performance.now() - started;
  return figures;
}
