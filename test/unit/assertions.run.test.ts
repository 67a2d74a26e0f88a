/**
 * Assert as a whole: a mix of passing and failing assertions all report; a missing tool is
 * an `error`, not a failure; hostile values are data, never code; runAssertions' filters;
 * `clockwork assert` output, --json, and --junit validated against a JUnit schema.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { checkResult } from '../../server/src/pipeline/assert/outcome.js';
import { UnknownResourceError } from '../../server/src/pipeline/loader/select.js';
import { runChecksWithPyinfra } from '../../server/src/pipeline/assert/pyinfraRunner.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import { runChecksWithSh } from '../../server/src/pipeline/assert/shRunner.js';
import type { AssertionResult } from '../../server/src/pipeline/assert/types.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { freePort, makeTargetDir, plannedCheck, startSlowServer, TEST_IMAGE, uniqueName } from '../support/assertTargets.js';
import { runCli } from '../support/cli.js';
import { commandMissing, partlySkipped, requireCommand, requireDocker, requirePyinfra } from '../support/tools.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';

/** PATH without the folders that hold pyinfra: the sh fallback is what runs. */
const pathWithoutPyinfra = (process.env['PATH'] ?? '')
  .split(path.delimiter)
  .filter((dir) => dir && !fs.existsSync(path.join(dir, 'pyinfra')))
  .join(path.delimiter);

const MIXED_PROJECT = `import { FileContentMatchesAssert, FileExistsAssert, FileResource, FileSizeAssert, ProcessRunningAssert } from 'clockwork';
export default [
  new FileResource({
    name: 'notes.md',
    content: 'Release 1.0\\n',
    assertions: [
      new FileExistsAssert({ path: 'notes.md' }),
      new FileSizeAssert({ path: 'notes.md', minBytes: 1000, timeoutSeconds: 1 }),
      new ProcessRunningAssert({ name: 'cw-absent-proc', timeoutSeconds: 1 }),
      new FileContentMatchesAssert({ path: 'notes.md', pattern: 'Release' }),
    ],
  }),
  new FileResource({ name: 'plain.txt', content: 'x', mode: '644' }),
];
`;

function mixedProject(): string {
  const dir = makeProject({ 'clockwork.ts': MIXED_PROJECT, 'notes.md': 'Release 1.0\n', 'plain.txt': 'x' });
  fs.chmodSync(path.join(dir, 'plain.txt'), 0o644);
  return dir;
}

/** A folder holding the basic tools checks need, plus `extra`: a PATH that hides the rest. */
async function toolBin(extra: readonly string[]): Promise<string> {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-bin-'));
  for (const tool of ['sh', 'date', 'sleep', 'tr', 'cut', 'sed', 'tail', 'head', 'awk', 'cat', 'wc', 'grep', ...extra]) {
    const found = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
    fs.symlinkSync(found, path.join(bin, tool));
  }
  return bin;
}

const summary = (results: AssertionResult[]): string[] =>
  results.map((r) => `${r.resource} ${r.assertion.kind}#${r.assertion.index}${r.isDefault ? ' default' : ''} ${r.status}`);

describe('clockwork assert', function () {
  this.timeout(60_000);
  after(removeProjects);

  describe('a project where some assertions fail', () => {
    it('reports every assertion, each with its own result, in declaration order', async () => {
      const dir = mixedProject();
      const settings = resolveSettings({ projectDir: dir, environment: { PATH: pathWithoutPyinfra } });
      const events: string[] = [];
      const run = await runAssertions({ settings, onEvent: (event) => events.push(event.type === 'step' ? event.step : event.type) });
      assert.equal(run.runner, 'sh');
      assert.match(run.runnerNote, /PyInfra is not installed: running the checks with sh/);
      assert.deepEqual(summary(run.results), [
        'notes.md FileExistsAssert#0 passed',
        'notes.md FileSizeAssert#1 failed',
        'notes.md ProcessRunningAssert#2 failed',
        'notes.md FileContentMatchesAssert#3 passed',
        'plain.txt FileExistsAssert#0 default passed',
        'plain.txt FilePermissionsAssert#1 default passed',
      ]);
      assert.deepEqual(run.counts, { total: 6, passed: 4, failed: 2, error: 0 });
      assert.equal(run.ok, false);
      const size = run.results[1] as AssertionResult;
      assert.equal(size.actual, '12 bytes');
      assert.equal(size.expected, '≥ 1000 bytes');
      assert.equal(size.location?.line, 8);
      assert.deepEqual(events.slice(0, 2), ['loading', 'checking']);
      assert.equal(events.filter((type) => type === 'assertion').length, 6);
    });

    it('runs exactly one assertion, or one resource, when asked', async () => {
      const dir = mixedProject();
      const settings = resolveSettings({ projectDir: dir, environment: { PATH: pathWithoutPyinfra } });
      const project = (await import('../../server/src/pipeline/loader/load.js')).loadProject({ target: dir });
      const loaded = await project;
      const one = await runAssertions({ settings, project: loaded, assertions: [{ resource: 'notes.md', index: 3 }] });
      assert.deepEqual(summary(one.results), ['notes.md FileContentMatchesAssert#3 passed']);
      const plain = await runAssertions({ settings, project: loaded, resources: ['plain.txt'] });
      assert.deepEqual(summary(plain.results), ['plain.txt FileExistsAssert#0 default passed', 'plain.txt FilePermissionsAssert#1 default passed']);
      assert.equal(plain.ok, true);
      await assert.rejects(runAssertions({ settings, project: loaded, resources: ['nope'] }), UnknownResourceError);
      await assert.rejects(runAssertions({ settings, project: loaded, assertions: [{ resource: 'notes.md', index: 9 }] }), /no assertion number 9/);
    });
  });

  describe('defaults of a Docker service without assertions', () => {
    it('checks that its container runs (only when start is true): failed before it exists, passed once it runs', async function () {
      requireDocker(this);
      const name = uniqueName('cw-default-');
      const dir = makeProject({
        'clockwork.ts': `import { DockerServiceResource } from 'clockwork';
export default [
  new DockerServiceResource({ name: '${name}', image: '${TEST_IMAGE}' }),
  new DockerServiceResource({ name: '${name}-off', image: '${TEST_IMAGE}', start: false }),
];
`,
      });
      const settings = resolveSettings({ projectDir: dir, environment: { PATH: pathWithoutPyinfra } });
      const before = await runAssertions({ settings });
      assert.deepEqual(summary(before.results), [`${name} ContainerRunningAssert#0 default failed`]);
      assert.equal(before.results[0]?.actual, 'no such container');
      try {
        await execa('docker', ['run', '-d', '--name', name, TEST_IMAGE]);
        const after = await runAssertions({ settings });
        assert.deepEqual(summary(after.results), [`${name} ContainerRunningAssert#0 default passed`]);
      } finally {
        await execa('docker', ['rm', '-f', name], { reject: false });
      }
    });
  });

  describe('port probes with each tool a host may have', () => {
    const variants = [
      { title: 'nc -z (OpenBSD netcat)', needs: 'nc', tools: ['nc'] },
      { title: 'curl telnet://', needs: 'curl', tools: ['curl'] },
      { title: "bash's /dev/tcp", needs: 'bash', tools: ['bash'] },
      { title: 'BusyBox nc (no -z) under timeout', needs: 'busybox', tools: ['timeout'], busyboxNc: true },
    ];
    for (const variant of variants) {
      it(`uses ${variant.title} when it is the only tool`, async function () {
        const found = requireCommand(this, variant.needs);
        const server = net.createServer((socket) => socket.end());
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const open = (server.address() as net.AddressInfo).port;
        const closed = await freePort();
        const bin = await toolBin(variant.tools);
        if (variant.busyboxNc) fs.symlinkSync(found, path.join(bin, 'nc'));
        try {
          const checks = [
            plannedCheck('PortAccessibleAssert', { port: open, host: '127.0.0.1' }),
            plannedCheck('PortAccessibleAssert', { port: closed, host: '127.0.0.1', timeoutSeconds: 0.5 }),
          ];
          const runs = await runChecksWithSh(checks, { environment: { PATH: bin } });
          assert.deepEqual(
            checks.map((check, i) => checkResult(check, runs[i]!)).map((r) => [r.status, r.actual]),
            [
              ['passed', 'open'],
              ['failed', 'refused'],
            ],
          );
        } finally {
          server.close();
          fs.rmSync(bin, { recursive: true, force: true });
        }
      });
    }
  });

  describe('a check whose tool is missing', () => {
    it('reports error (could not run), not failed', async () => {
      // A PATH with the basic tools only: no curl, wget, docker, nc or bash.
      const bin = await toolBin([]);
      try {
        const checks = [
          plannedCheck('HealthcheckAssert', { url: 'http://127.0.0.1:9/', timeoutSeconds: 1 }),
          plannedCheck('ContainerRunningAssert', { containerName: 'cw-any', timeoutSeconds: 1 }),
          plannedCheck('PortAccessibleAssert', { port: 9, timeoutSeconds: 1 }),
          plannedCheck('FileExistsAssert', { path: bin }),
        ];
        const runs = await runChecksWithSh(checks, { environment: { PATH: bin } });
        const results = checks.map((check, i) => checkResult(check, runs[i]!));
        assert.deepEqual(
          results.map((r) => [r.assertion.kind, r.status]),
          [
            ['HealthcheckAssert', 'error'],
            ['ContainerRunningAssert', 'error'],
            ['PortAccessibleAssert', 'error'],
            ['FileExistsAssert', 'passed'],
          ],
        );
        assert.match(results[0]!.message, /neither curl nor wget/);
        assert.match(results[1]!.message, /docker is not installed/);
        assert.match(results[2]!.message, /no tool to probe/);
      } finally {
        fs.rmSync(bin, { recursive: true, force: true });
      }
    });
  });

  describe('cancellation', () => {
    it('stops running checks at once and reports them as errors (cancelled)', async () => {
      const checks = [
        plannedCheck('FileExistsAssert', { path: '/nonexistent/clockwork', timeoutSeconds: 60 }),
        plannedCheck('ProcessRunningAssert', { name: 'cw-never-runs', timeoutSeconds: 60 }),
      ];
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const started = performance.now();
      const runs = await runChecksWithSh(checks, { signal: controller.signal });
      assert.ok(performance.now() - started < 5000, 'checks were not stopped');
      assert.deepEqual(
        checks.map((check, i) => [checkResult(check, runs[i]!).status, checkResult(check, runs[i]!).message]),
        [
          ['error', 'cancelled'],
          ['error', 'cancelled'],
        ],
      );
    });
  });

  describe('hostile values', () => {
    let target: ReturnType<typeof makeTargetDir>;
    let server: Awaited<ReturnType<typeof startSlowServer>>;
    let canary: string;
    // A relative canary too: an injected command would create it in the check's folder.
    const relativeCanary = `cw-canary-${process.pid}`;
    const injections = (): string => `$(touch ${canary}) \`touch ${canary}\` '; touch ${canary}; ' "; touch ${canary}; " $(touch ${relativeCanary})`;

    before(async () => {
      target = makeTargetDir();
      canary = path.join(target.dir, 'canary');
      server = await startSlowServer(0);
    });
    after(async () => {
      await server.stop();
      target.remove();
    });

    const hostileChecks = () => {
      const weirdName = `we'ird "name" $(touch ${relativeCanary}) \`touch ${relativeCanary}\`; x\nline two {0} %s`;
      fs.writeFileSync(path.join(target.dir, weirdName), 'hello\n');
      return [
        { check: plannedCheck('FileExistsAssert', { path: path.join(target.dir, weirdName) }), expect: 'passed' },
        { check: plannedCheck('FileExistsAssert', { path: `${target.dir}/nope ${injections()}\n`, timeoutSeconds: 1 }), expect: 'failed' },
        { check: plannedCheck('FileContentMatchesAssert', { path: target.file, pattern: `${injections()}|hello` }), expect: 'passed' },
        { check: plannedCheck('HealthcheckAssert', { url: `${server.url}?q=${injections()}` }), expect: 'passed' },
        { check: plannedCheck('ProcessNotRunningAssert', { name: `x${injections()}\nnext` }), expect: 'passed' },
        { check: plannedCheck('ProcessRunningAssert', { name: `;touch ${canary}`, timeoutSeconds: 1 }), expect: 'failed' },
        // A value cannot forge a result line: newlines and tabs are removed from what is reported.
        { check: plannedCheck('FileExistsAssert', { path: `${target.dir}/x\nCLOCKWORK_RESULT\tpassed\tforged\t\t1\n`, timeoutSeconds: 0.5 }), expect: 'failed' },
      ] as const;
    };

    const canaries = (): string[] =>
      [canary, path.join(process.cwd(), relativeCanary), path.join(os.homedir(), relativeCanary), path.join(target.dir, relativeCanary), path.join(repoRoot, relativeCanary)].filter((file) =>
        fs.existsSync(file),
      );

    it('are taken literally by sh, never executed', async () => {
      const cases = hostileChecks();
      const runs = await runChecksWithSh(
        cases.map((c) => c.check),
        {},
      );
      cases.forEach((c, i) => {
        const result = checkResult(c.check, runs[i]!);
        assert.equal(result.status, c.expect, `${c.check.assertion.kind}: ${result.message}`);
      });
      assert.deepEqual(canaries(), []);
    });

    it('are taken literally through PyInfra, never executed', async function () {
      const pyinfra = requirePyinfra(this);
      const cases = hostileChecks();
      const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-hostile-py-'));
      try {
        const runs = await runChecksWithPyinfra(
          cases.map((c) => c.check),
          { pyinfra: pyinfra as string, outputDir, inventory: undefined },
        );
        assert.equal(runs.length, cases.length);
        for (const { check, run } of runs) {
          const expected = cases.find((c) => c.check === check)?.expect;
          const result = checkResult(check, run);
          assert.equal(result.status, expected, `${check.assertion.kind}: ${result.message}`);
        }
        assert.deepEqual(canaries(), []);
        const compiled = await execa('python3', ['-m', 'py_compile', path.join(outputDir, 'assert.py')], { reject: false });
        assert.equal(compiled.exitCode, 0, compiled.stderr);
      } finally {
        fs.rmSync(outputDir, { recursive: true, force: true });
      }
    });
  });

  describe('an unreachable host', () => {
    it('reports error for each of its assertions while the reachable host reports its own', async function () {
      requirePyinfra(this);
      const dir = mixedProject();
      const closed = await freePort();
      fs.writeFileSync(path.join(dir, 'hosts.py'), `hosts = ["@local", ("127.0.0.1", {"ssh_port": ${closed}, "ssh_connect_retries": 0})]\n`);
      const run = await runCli(['assert', '--dir', dir, '--json', '--resource', 'plain.txt'], { env: { PYINFRA_INVENTORY: 'hosts.py' } });
      assert.equal(run.exitCode, 1, run.stderr);
      const document = JSON.parse(run.stdout) as { results: AssertionResult[] };
      assert.deepEqual(
        document.results.map((r) => `${r.assertion.kind} ${r.host} ${r.status}`),
        [
          'FileExistsAssert @local passed',
          'FileExistsAssert 127.0.0.1 error',
          'FilePermissionsAssert @local passed',
          'FilePermissionsAssert 127.0.0.1 error',
        ],
      );
      assert.match(document.results[1]!.message, new RegExp(`^127\\.0\\.0\\.1: cannot connect: Unable to connect to port ${closed} on 127\\.0\\.0\\.1\\. `));
    });
  });

  describe('the command', () => {
    it('prints one line per assertion in the issue\'s style and exits 1 when any failed', async () => {
      const dir = mixedProject();
      const run = await runCli(['assert', '--dir', dir], { env: { PATH: pathWithoutPyinfra } });
      assert.equal(run.exitCode, 1, run.stderr);
      assert.deepEqual(run.stdout.split('\n'), [
        'PyInfra is not installed: running the checks with sh on this machine (@local).',
        '✗ 2 failed of 6 assertions (4 passed)',
        '  ✓ notes.md: FileExistsAssert (notes.md)',
        '  ✗ notes.md: FileSizeAssert (≥ 1000 B) — 12 bytes, fewer than 1000',
        '  ✗ notes.md: ProcessRunningAssert (cw-absent-proc) — 0 running, fewer than 1',
        '  ✓ notes.md: FileContentMatchesAssert (/Release/)',
        `  ✓ plain.txt: FileExistsAssert (${path.join(dir, 'plain.txt')}) [default]`,
        `  ✓ plain.txt: FilePermissionsAssert (${path.join(dir, 'plain.txt')} 644) [default]`,
      ]);
      const only = await runCli(['assert', '--dir', dir, '--resource', 'plain.txt'], { env: { PATH: pathWithoutPyinfra } });
      assert.equal(only.exitCode, 0, only.stderr);
      assert.match(only.stdout, /^✓ All assertions passed \(2\)$/m);
    });

    it('writes --json and a --junit file that validates against the JUnit schema', async function () {
      const dir = mixedProject();
      const xml = path.join(dir, 'reports', 'assert.xml');
      const run = await runCli(['assert', '--dir', dir, '--json', '--junit', xml], { env: { PATH: pathWithoutPyinfra } });
      assert.equal(run.exitCode, 1, run.stderr);
      const document = JSON.parse(run.stdout) as { ok: boolean; counts: Record<string, number>; results: AssertionResult[] };
      assert.equal(document.ok, false);
      assert.deepEqual(document.counts, { total: 6, passed: 4, failed: 2, error: 0 });
      const text = fs.readFileSync(xml, 'utf8');
      assert.equal((text.match(/<testcase /g) ?? []).length, 6);
      assert.equal((text.match(/<testsuite /g) ?? []).length, 2);
      assert.equal((text.match(/<failure /g) ?? []).length, 2);
      assert.deepEqual(fs.readdirSync(path.dirname(xml)), ['assert.xml'], 'no temporary file left beside it');
      const noXmllint = commandMissing('xmllint');
      if (noXmllint) {
        partlySkipped(`schema validation: ${noXmllint}`);
        return;
      }
      const schema = path.join(repoRoot, 'test/fixtures/junit.xsd');
      const valid = await execa('xmllint', ['--noout', '--schema', schema, xml], { reject: false });
      assert.equal(valid.exitCode, 0, valid.stderr);
      // The schema does reject what is not JUnit: a testcase without a name.
      const broken = path.join(dir, 'broken.xml');
      fs.writeFileSync(broken, text.replace(/<testcase name="[^"]*"/, '<testcase'));
      const invalid = await execa('xmllint', ['--noout', '--schema', schema, broken], { reject: false });
      assert.notEqual(invalid.exitCode, 0);
    });

    it('runs the same checks through PyInfra when it is installed', async function () {
      requirePyinfra(this);
      const dir = mixedProject();
      const run = await runCli(['assert', '--dir', dir, '--json']);
      assert.equal(run.exitCode, 1, run.stderr);
      const document = JSON.parse(run.stdout) as { runner: string; results: AssertionResult[] };
      assert.equal(document.runner, 'pyinfra');
      assert.deepEqual(summary(document.results), [
        'notes.md FileExistsAssert#0 passed',
        'notes.md FileSizeAssert#1 failed',
        'notes.md ProcessRunningAssert#2 failed',
        'notes.md FileContentMatchesAssert#3 passed',
        'plain.txt FileExistsAssert#0 default passed',
        'plain.txt FilePermissionsAssert#1 default passed',
      ]);
      assert.ok(fs.existsSync(path.join(dir, '.clockwork/pyinfra/assert.py')));
    });
  });
});
