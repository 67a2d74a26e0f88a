/**
 * Item 3 of the hardening issue: the bad-input table. Each row runs the real CLI
 * (dist/cli.cjs) on a bad input and checks the message (file, line, field) and that nothing
 * was lost (no state written or changed, nothing deployed).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from '../support/cli.js';
import { FakeOpenAI } from '../support/fakeOpenAI.js';
import { findPyinfra, removeContainer } from '../support/pyinfra.js';
import { dockerMissing, TEST_IMAGE } from '../support/tools.js';
import { REFUSED_CASES, refusedSource, type RefusedCase } from './refusedAtLoad.js';

/** One row of the table. */
export interface BadInputRow {
  row: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  ms: number;
}

const made: string[] = [];

function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-bad-')));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const IMPORTS = "import { FileResource, DockerServiceResource, FileContentMatchesAssert, HealthcheckAssert } from 'clockwork';\n";

/** Checks: throws with a description when a check fails. */
function expect(condition: boolean, what: string, run?: CliRun): void {
  if (!condition) throw new Error(`${what}${run ? ` — exit ${run.exitCode}, stderr: ${run.stderr.slice(0, 400)}, stdout: ${run.stdout.slice(0, 200)}` : ''}`);
}

function nothingWritten(dir: string): boolean {
  return !fs.existsSync(path.join(dir, '.clockwork/state.json')) && !fs.existsSync(path.join(dir, '.clockwork/pyinfra/deploy.py'));
}

/** A row about a clockwork.ts that must be refused by `plan` with exit 2 and these patterns in the message. */
function invalidFile(row: string, body: string, patterns: RegExp[], env: Record<string, string> = {}): [string, () => Promise<string>] {
  return [
    row,
    async () => {
      const dir = project({ 'clockwork.ts': body });
      const run = await runCli(['plan'], { cwd: dir, env });
      expect(run.exitCode === 2, 'exit code 2', run);
      for (const pattern of patterns) expect(pattern.test(run.stderr), `message matches ${pattern}`, run);
      expect(nothingWritten(dir), 'nothing written under .clockwork/');
      return run.stderr.split('\n').find((line) => line.trim())?.slice(0, 110) ?? '';
    },
  ];
}

const FILE_NEEDING_AI = `${IMPORTS}export default [\n  new FileResource({ name: 'essay.md', description: 'An essay about gears' }),\n];\n`;

/** A row about an AI failure: apply must fail, naming the resource and the endpoint, deploying nothing. */
function aiFailure(row: string, setup: (fake: FakeOpenAI) => { baseUrl?: string; key?: string }, patterns: RegExp[]): [string, () => Promise<string>] {
  return [
    row,
    async () => {
      const fake = await FakeOpenAI.start('sk-hardening-good-key');
      try {
        const { baseUrl, key } = setup(fake);
        const dir = project({ 'clockwork.ts': FILE_NEEDING_AI });
        const run = await runCli(['apply'], {
          cwd: dir,
          env: { OPENROUTER_BASE_URL: baseUrl ?? fake.url, OPENROUTER_API_KEY: key ?? fake.apiKey, PYINFRA_PATH: findPyinfra() ?? '/bin/true', CLOCKWORK_AI_TIMEOUT: '5' },
        });
        expect(run.exitCode !== 0, 'apply fails', run);
        const text = run.stdout + run.stderr;
        expect(/essay\.md/.test(text), 'names the resource', run);
        for (const pattern of patterns) expect(pattern.test(text), `message matches ${pattern}`, run);
        expect(!text.includes('sk-hardening-wrong-key') && !text.includes(fake.apiKey), 'the key is not printed', run);
        expect(nothingWritten(dir), 'nothing deployed or recorded');
        return `exit ${run.exitCode}: ${(run.stderr.split('\n').find((line) => /essay/.test(line)) ?? '').trim().slice(0, 100)}`;
      } finally {
        await fake.close();
      }
    },
  ];
}

/** A folder holding links to every program on PATH except `docker`. */
function pathWithout(program: string): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-path-'));
  made.push(bin);
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir || !fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      if (name === program || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(dir, name), path.join(bin, name));
    }
  }
  return bin;
}

function state(dir: string): { name: string; failed?: boolean; identity: { id: string } }[] {
  const file = path.join(dir, '.clockwork/state.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { resources: { name: string; failed?: boolean; identity: { id: string } }[] }).resources : [];
}

type Row = [string, () => Promise<string>];

/**
 * A row of issue 11: plan and apply (with PyInfra), and assert when an assertion is at fault,
 * refuse it at load with exactly this line, exit 2, nothing written.
 */
function refusedAtLoad(refused: RefusedCase, pyinfra: string | undefined): Row {
  const commands = ['plan', ...(pyinfra ? ['apply'] : []), ...(refused.imports.some((kind) => kind.endsWith('Assert')) ? ['assert'] : [])];
  return [
    refused.row,
    async () => {
      const dir = project({ 'clockwork.ts': refusedSource(refused) });
      for (const command of commands) {
        const run = await runCli([command], { cwd: dir, env: pyinfra ? { PYINFRA_PATH: pyinfra } : {} });
        expect(run.exitCode === 2, `${command}: exit 2`, run);
        const lines = run.stderr.split('\n').map((line) => line.replace(/^✗ /, ''));
        expect(lines.includes(refused.cli), `${command}: the exact line ${JSON.stringify(refused.cli)}`, run);
      }
      expect(nothingWritten(dir), 'nothing written under .clockwork/');
      expect(fs.readdirSync(dir).join() === 'clockwork.ts', 'nothing deployed');
      return `${commands.join('/')} exit 2: ${refused.cli.slice(refused.cli.indexOf(': ') + 2, refused.cli.indexOf(': ') + 80)}`;
    },
  ];
}

/** Writes state.json by hand (what an older Clockwork, or a crash, may have left). */
function writeStateFile(dir: string, resources: object[]): void {
  fs.mkdirSync(path.join(dir, '.clockwork'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.clockwork/state.json'), JSON.stringify({ version: 1, resources }, null, 2));
}

/** Issue 11's rows that must work exactly, with PyInfra for real. */
function worksExactly(needPyinfra: (row: string, body: () => Promise<string>) => Row): Row[] {
  return [
    needPyinfra('file name of exactly 255 bytes', async () => {
      const name = `${'é'.repeat(127)}a`;
      const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new FileResource({ name: '${name}', content: 'x' })];\n` });
      const applied = await runCli(['apply'], { cwd: dir });
      expect(applied.exitCode === 0 && fs.readFileSync(path.join(dir, name), 'utf8') === 'x', 'apply writes it', applied);
      const gone = await runCli(['destroy'], { cwd: dir });
      expect(gone.exitCode === 0 && !fs.existsSync(path.join(dir, name)) && state(dir).length === 0, 'destroy removes it', gone);
      return `255 bytes (128 characters): applied, destroyed`;
    }),
    needPyinfra('NUL in content (free text)', async () => {
      const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new FileResource({ name: 'nul.bin', content: 'a\\0b', description: 'has a \\0' })];\n` });
      const applied = await runCli(['apply'], { cwd: dir });
      expect(applied.exitCode === 0, 'apply succeeds', applied);
      expect(fs.readFileSync(path.join(dir, 'nul.bin')).equals(Buffer.from([0x61, 0, 0x62])), 'the file holds a, NUL, b');
      return 'content "a\\0b" written byte for byte';
    }),
    needPyinfra('failed operation shows PyInfra\'s words', async () => {
      const target = `/proc/clockwork-hardening-${process.pid}.txt`;
      const dir = project({
        'clockwork.ts': `${IMPORTS}export default [\n  new FileResource({ name: 'p.txt', path: '${target}', content: 'x' }),\n  new FileResource({ name: 'b.txt', directory: 'blocked', content: 'x' }),\n];\n`,
        blocked: 'a file where the folder should be',
      });
      const run = await runCli(['apply'], { cwd: dir });
      expect(run.exitCode === 1, 'apply fails (exit 1)', run);
      const upload = `      Command socket/SSH error: OSError("cp: cannot create regular file '${target}': No such file or directory",)`;
      expect(run.stdout.split('\n').includes(upload), `the upload's own error, without --verbose: ${upload}`, run);
      // PyInfra raises OperationError for it; the results helper makes that this operation's failure.
      const refused = `      ${dir}/blocked exists and is not a directory`;
      expect(run.stdout.split('\n').includes(refused), `the error PyInfra raised, as that resource's failure: ${refused}`, run);
      expect(!run.stdout.includes('without a message'), 'no "failed without a message"', run);
      return 'cp: cannot create regular file …; OperationError: … exists and is not a directory';
    }),
    needPyinfra('destroy of what is gone', async () => {
      const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new FileResource({ name: 'a.txt', content: 'x' })];\n` });
      const applied = await runCli(['apply'], { cwd: dir });
      expect(applied.exitCode === 0, 'apply succeeds', applied);
      fs.rmSync(path.join(dir, 'a.txt'));
      const gone = await runCli(['destroy'], { cwd: dir });
      expect(gone.exitCode === 0 && state(dir).length === 0, 'destroy of a file removed by hand succeeds and empties the state', gone);
      // A record no host can hold (a lone surrogate): PyInfra stops on it, so destroy must not ask it.
      const record = { kind: 'FileResource', name: 'b\ud800.txt', identity: { type: 'file', id: path.join(dir, 'b\ud800.txt') }, host: '@local', specHash: 'x', contentHash: 'x', failed: true, appliedAt: new Date().toISOString() };
      writeStateFile(dir, [record]);
      const again = await runCli(['destroy'], { cwd: dir });
      expect(again.exitCode === 0 && /removed/.test(again.stdout), 'destroy of a record that cannot exist succeeds', again);
      expect(state(dir).length === 0, 'the state no longer lists it');
      return 'a file removed by hand, a record holding "\\ud800": destroy exit 0, state empty';
    }),
    needPyinfra('destroy of a container that is gone', async () => {
      const missing = dockerMissing();
      if (missing) return `SKIP: ${missing}`;
      const name = `cw-hardening-gone-${process.pid}`;
      const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new DockerServiceResource({ name: '${name}', image: '${TEST_IMAGE}', start: false })];\n` });
      try {
        const applied = await runCli(['apply'], { cwd: dir });
        expect(applied.exitCode === 0 && state(dir).length === 1, 'apply creates the container', applied);
        execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
        const gone = await runCli(['destroy'], { cwd: dir });
        expect(gone.exitCode === 0 && state(dir).length === 0, 'destroy of a container removed by hand succeeds and empties the state', gone);
        return 'container removed by hand: destroy exit 0, state empty';
      } finally {
        removeContainer(name);
      }
    }),
  ];
}

function rows(): Row[] {
  const pyinfra = findPyinfra();
  const needPyinfra = (row: string, body: () => Promise<string>): Row => [row, async () => (pyinfra ? body() : 'SKIP: pyinfra is not installed')];
  return [
    invalidFile('syntax error', `${IMPORTS}export default [\n  new FileResource({ name: 'a.txt', content: 'x' }\n];\n`, [/clockwork\.ts:4/, /syntax error/]),
    invalidFile('exception at load', `${IMPORTS}\nfunction boom(): never {\n  throw new Error('the database is on fire');\n}\nexport default [boom()];\n`, [/clockwork\.ts:4/, /the database is on fire/]),
    invalidFile('endless loop at load', `${IMPORTS}\nwhile (true) {}\nexport default [];\n`, [/clockwork\.ts/, /1 s|second|time/i], { CLOCKWORK_LOAD_TIMEOUT: '1' }),
    invalidFile('no resources', `${IMPORTS}export default [];\n`, [/clockwork\.ts/, /no resource/i]),
    invalidFile('wrong types', `${IMPORTS}export default [\n  new FileResource({ name: 'a.txt', content: 42 }),\n];\n`, [/clockwork\.ts:3/, /content/, /42/]),
    invalidFile('duplicate names', `${IMPORTS}export default [\n  new FileResource({ name: 'a.txt', content: 'x' }),\n  new FileResource({ name: 'a.txt', content: 'y' }),\n];\n`, [/clockwork\.ts:(3|4)/, /a\.txt/, /duplicate|twice|more than once|unique/i]),
    invalidFile('bad port', `${IMPORTS}export default [\n  new DockerServiceResource({ name: 'web', image: 'nginx:1', ports: ['99999:80'] }),\n];\n`, [/clockwork\.ts:3/, /ports/, /99999/]),
    invalidFile('bad mode', `${IMPORTS}export default [\n  new FileResource({ name: 'a.txt', content: 'x', mode: 'rwxrwxrwx' }),\n];\n`, [/clockwork\.ts:3/, /mode/, /rwxrwxrwx/]),
    invalidFile('bad regex', `${IMPORTS}export default [\n  new FileResource({ name: 'a.txt', content: 'x', assertions: [\n    new FileContentMatchesAssert({ path: 'a.txt', pattern: '([a-z' }),\n  ] }),\n];\n`, [/clockwork\.ts:4/, /pattern/]),
    invalidFile('bad URL', `${IMPORTS}export default [\n  new DockerServiceResource({ name: 'web', image: 'nginx:1', assertions: [\n    new HealthcheckAssert({ url: 'localhost:8080/health' }),\n  ] }),\n];\n`, [/clockwork\.ts:4/, /url/]),
    aiFailure('AI endpoint down', () => ({ baseUrl: 'http://127.0.0.1:9/v1' }), [/127\.0\.0\.1:9/]),
    aiFailure('AI 401', () => ({ key: 'sk-hardening-wrong-key' }), [/401|key/i]),
    aiFailure('AI 429 after retries', (fake) => {
      fake.script(() => ({ status: 429, error: 'rate limited', headers: { 'retry-after-ms': '10' } }));
      return {};
    }, [/429|rate/i]),
    aiFailure('AI junk', (fake) => {
      fake.script(() => ({ raw: '<html>not json</html>' }));
      return {};
    }, [/127\.0\.0\.1/]),
    [
      'pyinfra missing',
      async () => {
        const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new FileResource({ name: 'a.txt', content: 'x' })];\n` });
        const run = await runCli(['apply'], { cwd: dir, env: { PATH: pathWithout('pyinfra') } });
        expect(run.exitCode === 2, 'exit 2', run);
        expect(/pipx install pyinfra/.test(run.stderr) && /clockwork setup/.test(run.stderr), 'says how to install it', run);
        expect(nothingWritten(dir) && !fs.existsSync(path.join(dir, 'a.txt')), 'nothing deployed or recorded');
        return run.stderr.split('\n')[0]!.slice(0, 100);
      },
    ],
    needPyinfra('docker missing (apply)', async () => {
      const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new DockerServiceResource({ name: 'cw-hardening-nodocker', image: 'clockwork-test/busybox:latest' })];\n` });
      const run = await runCli(['apply'], { cwd: dir, env: { PATH: pathWithout('docker') } });
      expect(run.exitCode !== 0, 'apply fails', run);
      expect(/docker/i.test(run.stderr + run.stdout) && /cw-hardening-nodocker/.test(run.stderr + run.stdout), 'names docker and the resource', run);
      expect(state(dir).every((record) => record.failed === true), 'nothing recorded as created');
      const line = (run.stderr + run.stdout).split('\n').find((text) => /docker/i.test(text) && !/DockerServiceResource cw/.test(text)) ?? '';
      return `exit ${run.exitCode}: ${line.trim().slice(0, 90)}`;
    }),
    [
      'docker missing (assert)',
      async () => {
        const dir = project({ 'clockwork.ts': `import { DockerServiceResource, ContainerRunningAssert } from 'clockwork';\nexport default [new DockerServiceResource({ name: 'web', image: 'x:1', assertions: [new ContainerRunningAssert({})] })];\n` });
        const run = await runCli(['assert', '--json'], { cwd: dir, env: { PATH: pathWithout('docker'), PYINFRA_PATH: '/nonexistent/pyinfra' } });
        expect(run.exitCode === 1, 'exit 1', run);
        const result = JSON.parse(run.stdout) as { results: { status: string; message: string }[] };
        const first = result.results[0];
        expect(first?.status === 'error' && /docker/i.test(first.message), 'the check errors, naming docker', run);
        return `${first!.status}: ${first!.message.slice(0, 90)}`;
      },
    ],
    needPyinfra('deploy fails half-way', async () => {
      const dir = project({
        'clockwork.ts': `${IMPORTS}export default [\n  new FileResource({ name: 'a.txt', content: 'A' }),\n  new FileResource({ name: 'b.txt', directory: 'blocked', content: 'B' }),\n  new FileResource({ name: 'c.txt', content: 'C' }),\n];\n`,
        blocked: 'a file where the folder should be',
      });
      const first = await runCli(['apply'], { cwd: dir });
      expect(first.exitCode === 1, 'the first apply fails (exit 1)', first);
      expect(/b\.txt/.test(first.stdout + first.stderr), 'names the failing resource', first);
      const recorded = state(dir).filter((record) => !record.failed).map((record) => record.name).sort();
      const onDisk = ['a.txt', 'c.txt', 'blocked/b.txt'].filter((name) => fs.existsSync(path.join(dir, name)) && fs.statSync(path.join(dir, name)).isFile()).map((name) => path.basename(name)).sort();
      expect(JSON.stringify(recorded) === JSON.stringify(onDisk), `state records exactly what exists (${recorded} vs ${onDisk})`);
      fs.rmSync(path.join(dir, 'blocked'));
      const second = await runCli(['apply'], { cwd: dir });
      expect(second.exitCode === 0, 'the next apply finishes the job', second);
      expect(fs.readFileSync(path.join(dir, 'blocked/b.txt'), 'utf8') === 'B' && state(dir).length === 3 && state(dir).every((r) => !r.failed), 'all three deployed and recorded');
      const gone = await runCli(['destroy'], { cwd: dir });
      expect(gone.exitCode === 0, 'destroy succeeds', gone);
      expect(['a.txt', 'c.txt', 'blocked/b.txt'].every((name) => !fs.existsSync(path.join(dir, name))) && state(dir).length === 0, 'destroy removes it all');
      return `recorded ${recorded.join(', ')} of 3; re-apply 3/3; destroy 0 left`;
    }),
    [
      'corrupted state.json',
      async () => {
        const broken = '{"version": 1, "resources": [{"kind": "FileResource", "name": "a.txt"';
        const dir = project({ 'clockwork.ts': `${IMPORTS}export default [new FileResource({ name: 'a.txt', content: 'x' })];\n`, '.clockwork/state.json': broken });
        const runs = [await runCli(['plan'], { cwd: dir }), await runCli(['apply'], { cwd: dir, env: { PYINFRA_PATH: pyinfra ?? '/bin/true' } }), await runCli(['destroy'], { cwd: dir })];
        for (const run of runs) {
          expect(run.exitCode === 2, 'exit 2', run);
          expect(/state\.json/.test(run.stderr) && /move it aside|repair/i.test(run.stderr), 'names the file and a way out', run);
        }
        expect(fs.readFileSync(path.join(dir, '.clockwork/state.json'), 'utf8') === broken, 'the file is left as it was (no silent reset)');
        expect(!fs.existsSync(path.join(dir, 'a.txt')), 'nothing deployed');
        return 'plan/apply/destroy exit 2: "… is not valid Clockwork state … move it aside"';
      },
    ],
    ...REFUSED_CASES.map((refused) => refusedAtLoad(refused, pyinfra)),
    ...worksExactly(needPyinfra),
  ];
}

/** Runs every row (all of them: the table has no count). */
export async function runBadInputTable(only?: RegExp): Promise<BadInputRow[]> {
  const results: BadInputRow[] = [];
  try {
    for (const [row, body] of rows()) {
      if (only && !only.test(row)) continue;
      const started = performance.now();
      try {
        const detail = await body();
        results.push({ row, status: detail.startsWith('SKIP') ? 'skip' : 'pass', detail, ms: performance.now() - started });
      } catch (error) {
        results.push({ row, status: 'fail', detail: error instanceof Error ? error.message : String(error), ms: performance.now() - started });
      }
    }
  } finally {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
