/**
 * One host, one script, every check at once: the checks of a host run at the same time
 * (their time windows overlap), a check that hangs is stopped at its timeout while the others
 * report, results come in declaration order, and through PyInfra each host runs exactly the
 * checks meant for it, in one operation. Each as plain sh, BusyBox sh and real PyInfra.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { STOP_GRACE_SECONDS } from '../../server/src/codegen/hostScript.js';
import { checkResult, type CheckRun } from '../../server/src/pipeline/assert/outcome.js';
import type { PlannedCheck } from '../../server/src/pipeline/assert/plan.js';
import { ASSERT_OPERATION, checksOn, planHosts, runChecksWithPyinfra } from '../../server/src/pipeline/assert/pyinfraRunner.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import { runChecksWithSh } from '../../server/src/pipeline/assert/shRunner.js';
import type { RunEvent } from '../../server/src/pipeline/events.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { sshInventory } from '../support/assertCases.js';
import { busyboxPath, plannedCheck, TEST_IMAGE, uniqueName, useTargetDir } from '../support/assertTargets.js';
import { useSshFleet } from '../support/sshHosts.js';
import { commandMissing, requireDocker, requirePyinfra, skipOrFail } from '../support/tools.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

/** A unix socket that accepts connections and never answers: a docker daemon that hangs. */
async function silentSocket(): Promise<{ path: string; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-silent-'));
  const file = path.join(dir, 'docker.sock');
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(file, resolve));
  return {
    path: file,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Processes whose command line contains `marker` (the checks' own processes, if left behind). */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(marker)) found.push(`${entry}: ${cmdline}`);
    } catch {
      // Gone already.
    }
  }
  return found;
}

/** A check whose attempt hangs (sleeps far past its timeout) with a unique marker in its command line. */
function hangingCheck(marker: string, timeoutSeconds: number): PlannedCheck {
  const base = plannedCheck('FileExistsAssert', { path: '/', timeoutSeconds });
  return { ...base, assertion: { ...base.assertion, kind: 'HangingCheck' }, check: { ...base.check, values: { marker }, attempt: 'sh -c "sleep 600" "$v_marker"; cw_pass done' } };
}

/** The window [start, end] of a check's run, in ms from the start of its host's script. */
function windowOf(run: CheckRun): [number, number] {
  const { startMs, durationMs } = run.outcome ?? {};
  assert.ok(startMs !== undefined && durationMs !== undefined, `no timing in ${JSON.stringify(run)}`);
  return [startMs, startMs + durationMs];
}

type Runner = 'sh' | 'busybox' | 'pyinfra';
const RUNNERS: Record<Runner, string> = { sh: 'plain sh', busybox: 'BusyBox sh with BusyBox tools alone', pyinfra: 'real PyInfra' };

describe('checks of a host run at once', function () {
  this.timeout(90_000);
  const suite = useTargetDir();
  after(() => removeProjects());

  /** Runs `checks` on @local with `runner`; records when each result arrived. */
  async function run(context: Mocha.Context, runner: Runner, checks: PlannedCheck[], env: Record<string, string> = {}): Promise<{ runs: CheckRun[]; arrivedMs: number[]; totalMs: number }> {
    const started = performance.now();
    const arrivedMs: number[] = new Array(checks.length);
    if (runner === 'pyinfra') {
      const pyinfra = requirePyinfra(context);
      const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-parallel-py-'));
      suite.temporary.push(outputDir);
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const pairs = await runChecksWithPyinfra(checks, { pyinfra, outputDir, inventory: undefined });
        const totalMs = performance.now() - started;
        const compiled = await execa('python3', ['-m', 'py_compile', path.join(outputDir, 'assert.py')], { reject: false });
        assert.equal(compiled.exitCode, 0, compiled.stderr);
        assert.equal((fs.readFileSync(path.join(outputDir, 'assert.py'), 'utf8').match(/server\.shell\(/g) ?? []).length, 1, 'one operation');
        return { runs: checks.map((check) => pairs.find((pair) => pair.check === check)?.run as CheckRun), arrivedMs: arrivedMs.fill(totalMs), totalMs };
      } finally {
        for (const key of Object.keys(env)) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
    }
    let environment = env;
    if (runner === 'busybox') {
      const bin = await busyboxPath();
      if (!bin) skipOrFail(context, commandMissing('busybox') ?? 'busybox is not installed');
      suite.temporary.push(bin);
      const docker = await execa('sh', ['-c', 'command -v docker'], { reject: false });
      if (docker.exitCode === 0) fs.symlinkSync(docker.stdout.trim(), path.join(bin, 'docker'));
      environment = { ...env, PATH: bin };
    }
    const runs = await runChecksWithSh(checks, {
      environment,
      onDone: (check, _run) => {
        arrivedMs[checks.indexOf(check)] = performance.now() - started;
      },
    });
    return { runs, arrivedMs, totalMs: performance.now() - started };
  }

  for (const runner of Object.keys(RUNNERS) as Runner[]) {
    describe(`as ${RUNNERS[runner]}`, () => {
      it('runs the checks of one host at the same time: their time windows overlap', async function () {
        // Each of these keeps failing for its whole 1.5 s window.
        const slow = ['cw-absent-a', 'cw-absent-b', 'cw-absent-c', 'cw-absent-d'].map((name) =>
          plannedCheck('ProcessRunningAssert', { name, timeoutSeconds: 1.5 }),
        );
        const quick = plannedCheck('FileExistsAssert', { path: suite.target.file });
        const checks = [...slow, quick];
        const { runs, totalMs } = await run(this, runner, checks);
        const results = checks.map((check, i) => checkResult(check, runs[i] as CheckRun));
        assert.deepEqual(
          results.map((result) => result.status),
          ['failed', 'failed', 'failed', 'failed', 'passed'],
        );
        const windows = slow.map((_, i) => windowOf(runs[i] as CheckRun));
        const latestStart = Math.max(...windows.map(([start]) => start));
        const earliestEnd = Math.min(...windows.map(([, end]) => end));
        assert.ok(latestStart < earliestEnd, `the windows do not all overlap: ${JSON.stringify(windows)}`);
        // Each kept failing until its deadline, 1.5 s after its host's script started.
        for (const [start, end] of windows) assert.ok(end >= 1400, `a check ended before its 1.5 s window: ${start}–${end}`);
        // One after another they would take 4 × 1.5 s.
        assert.ok(totalMs < 4 * 1500, `took ${Math.round(totalMs)} ms`);
      });

      it('stops a check that hangs at its timeout, while the others report', async function () {
        const socket = await silentSocket();
        const marker = uniqueName('cw-hang-');
        try {
          const checks = [
            hangingCheck(marker, 1),
            // docker against a daemon that never answers hangs, too.
            plannedCheck('ContainerRunningAssert', { containerName: 'cw-any', timeoutSeconds: 1 }),
            plannedCheck('FileExistsAssert', { path: suite.target.file }),
            plannedCheck('FileSizeAssert', { path: suite.target.file, maxBytes: 5, timeoutSeconds: 1 }),
          ];
          const { runs, arrivedMs, totalMs } = await run(this, runner, checks, { DOCKER_HOST: `unix://${socket.path}` });
          const results = checks.map((check, i) => checkResult(check, runs[i] as CheckRun));
          assert.deepEqual(
            results.map((result) => [result.status, result.actual]),
            [
              ['failed', 'timed out'],
              ['failed', 'timed out'],
              ['passed', 'exists'],
              ['failed', '28 bytes'],
            ],
          );
          assert.match(results[0]!.message, /no result within its 1 s timeout: stopped/);
          for (const result of results.slice(0, 2)) {
            assert.ok(result.durationMs >= 1000 + STOP_GRACE_SECONDS * 1000 - 100, `stopped too early: ${result.durationMs} ms`);
            assert.ok(result.durationMs < 1000 + STOP_GRACE_SECONDS * 1000 + 2500, `stopped late: ${result.durationMs} ms`);
          }
          // The others did not wait for the hanging ones; the run did not wait past the deadline.
          if (runner !== 'pyinfra') assert.ok(arrivedMs[2]! < arrivedMs[0]! && arrivedMs[3]! < arrivedMs[0]!, `arrived at ${arrivedMs.map(Math.round).join(', ')} ms`);
          assert.ok(totalMs < (1 + STOP_GRACE_SECONDS) * 1000 + 8000, `took ${Math.round(totalMs)} ms`);
          // Stopped means gone: no process of the hanging check is left behind.
          await new Promise((resolve) => setTimeout(resolve, 200));
          assert.deepEqual(processesWith(marker), []);
        } finally {
          socket.close();
        }
      });
    });
  }

  describe('results in declaration order', () => {
    const PROJECT = `import { FileExistsAssert, FileResource, ProcessRunningAssert } from 'clockwork';
export default [
  new FileResource({
    name: 'a.txt',
    content: 'a',
    assertions: [
      new ProcessRunningAssert({ name: 'cw-never-here', timeoutSeconds: 1.5 }),
      new FileExistsAssert({ path: 'a.txt' }),
    ],
  }),
  new FileResource({ name: 'b.txt', content: 'b', assertions: [new FileExistsAssert({ path: 'b.txt' })] }),
];
`;
    const pathWithoutPyinfra = (process.env['PATH'] ?? '')
      .split(path.delimiter)
      .filter((dir) => dir && !fs.existsSync(path.join(dir, 'pyinfra')))
      .join(path.delimiter);

    for (const runner of ['sh', 'pyinfra'] as const) {
      it(`lists results in declaration order though the first one finishes last (${RUNNERS[runner]})`, async function () {
        if (runner === 'pyinfra') requirePyinfra(this);
        const dir = makeProject({ 'clockwork.ts': PROJECT, 'a.txt': 'a', 'b.txt': 'b' });
        const settings = resolveSettings({ projectDir: dir, environment: { PATH: runner === 'sh' ? pathWithoutPyinfra : (process.env['PATH'] ?? '') } });
        const events: RunEvent[] = [];
        const result = await runAssertions({ settings, runner, onEvent: (event) => events.push(event) });
        const names = (list: { resource: string; assertion: { kind: string } }[]): string[] => list.map((r) => `${r.resource} ${r.assertion.kind}`);
        const declared = ['a.txt ProcessRunningAssert', 'a.txt FileExistsAssert', 'b.txt FileExistsAssert'];
        assert.deepEqual(names(result.results), declared);
        assert.deepEqual(
          result.results.map((r) => r.status),
          ['failed', 'passed', 'passed'],
        );
        const arrived = names(events.flatMap((event) => (event.type === 'assertion' ? [event.result] : [])));
        if (runner === 'sh') assert.equal(arrived.at(-1), 'a.txt ProcessRunningAssert', 'the sh runner reports each check as it finishes');
        assert.deepEqual([...arrived].sort(), [...declared].sort());
      });
    }
  });

  describe('hosts through PyInfra', () => {
    it('plans which checks each host runs: every host, or the hosts a check names', () => {
      const all = plannedCheck('FileExistsAssert', { path: '/' });
      const web = { ...plannedCheck('FileExistsAssert', { path: '/srv' }), hosts: ['web1', 'web2'] };
      const db = { ...plannedCheck('FileExistsAssert', { path: '/var' }), hosts: ['db'] };
      const plan = planHosts([all, web, db]);
      assert.deepEqual(checksOn(plan, 'web1'), [0, 1]);
      assert.deepEqual(checksOn(plan, 'web2'), [0, 1]);
      assert.deepEqual(checksOn(plan, 'db'), [0, 2]);
      assert.deepEqual(checksOn(plan, 'other'), [0]);
      assert.equal(plan.choices.length, 3, 'web1 and web2 share one script');
    });

    it('runs one operation on @local and a BusyBox container at once, each host its own checks', async function () {
      const pyinfra = requirePyinfra(this);
      requireDocker(this);
      const name = uniqueName('cw-host-');
      await execa('docker', ['run', '-d', '--name', name, TEST_IMAGE, 'sh', '-c', 'exec /bin/httpd -f -p 80 -h /www']);
      const container = `@docker/${name}`;
      try {
        const dir = makeProject({ 'inventory.py': `hosts = ["@local", ${JSON.stringify(container)}]\n` });
        const checks = [
          // On every host: 2 s of failing on each, at the same time.
          plannedCheck('ProcessRunningAssert', { name: 'cw-never-here', timeoutSeconds: 2 }),
          { ...plannedCheck('FileExistsAssert', { path: suite.target.file }), hosts: ['@local'] },
          { ...plannedCheck('ProcessRunningAssert', { name: 'httpd' }), hosts: [container] },
        ];
        const started = performance.now();
        const pairs = await runChecksWithPyinfra(checks, { pyinfra, outputDir: dir, inventory: path.join(dir, 'inventory.py') });
        const totalMs = performance.now() - started;
        const summary = pairs.map(({ check, run }) => {
          const result = checkResult(check, run);
          return `${checks.indexOf(check)} ${result.host} ${result.status} ${result.actual}`;
        });
        assert.deepEqual(summary.sort(), ['0 @docker/' + name + ' failed 0', '0 @local failed 0', '1 @local passed exists', `2 ${container} passed 1`].sort());
        const program = fs.readFileSync(path.join(dir, 'assert.py'), 'utf8');
        assert.equal((program.match(/server\.shell\(/g) ?? []).length, 1);
        assert.ok(program.includes(ASSERT_OPERATION));
        const compiled = await execa('python3', ['-m', 'py_compile', path.join(dir, 'assert.py')], { reject: false });
        assert.equal(compiled.exitCode, 0, compiled.stderr);
        // Hosts in parallel: far less than the two 2 s windows one after another, plus PyInfra.
        assert.ok(totalMs < 2 * 2000 + 6000, `took ${Math.round(totalMs)} ms`);
      } finally {
        await execa('docker', ['rm', '-f', name], { reject: false });
      }
    });
  });

  describe('on real SSH hosts', function () {
    this.timeout(120_000);
    const hosts = useSshFleet(3);

    it('runs each host its own checks at once, the hosts in parallel, and stops a hang on one host', async function () {
      const pyinfra = requirePyinfra(this);
      const { fleet } = hosts;
      const dir = makeProject({ 'inventory.py': sshInventory(fleet.hosts) });
      const marker = `/srv/cw-marker-${process.pid}`;
      assert.equal((await fleet.ssh('host2', `touch ${marker}`)).exitCode, 0);
      const hang = uniqueName('cw-sshhang-');
      const checks = [
        // Every host: present on host2 only (/srv is private to each host), so 4 s of failing on the others.
        plannedCheck('FileExistsAssert', { path: marker, timeoutSeconds: 4 }),
        { ...plannedCheck('ProcessRunningAssert', { name: 'sshd' }), hosts: ['host1'] },
        { ...hangingCheck(hang, 1), hosts: ['host3'] },
      ];
      const quick = [plannedCheck('FileExistsAssert', { path: '/srv' })];
      const run = async (list: PlannedCheck[]): Promise<{ pairs: Awaited<ReturnType<typeof runChecksWithPyinfra>>; ms: number }> => {
        const started = performance.now();
        const pairs = await runChecksWithPyinfra(list, { pyinfra, outputDir: dir, inventory: path.join(dir, 'inventory.py') });
        return { pairs, ms: performance.now() - started };
      };
      // PyInfra's own time on these hosts, for the bound below.
      const baseline = await run(quick);
      assert.deepEqual(baseline.pairs.map(({ check, run: one }) => checkResult(check, one).status), ['passed', 'passed', 'passed']);
      const { pairs, ms } = await run(checks);
      const summary = pairs
        .map(({ check, run: one }) => {
          const result = checkResult(check, one);
          // (sshd's count is every host's, as they share one process table.)
          return `${result.host} ${checks.indexOf(check)} ${result.status} ${checks.indexOf(check) === 1 ? '' : result.actual}`.trim();
        })
        .sort();
      assert.deepEqual(summary, ['host1 0 failed missing', 'host1 1 passed', 'host2 0 passed exists', 'host3 0 failed missing', 'host3 2 failed timed out']);
      // On host1 the quick check ran inside the 4 s window of the failing one.
      const onHost1 = (position: number): CheckRun => pairs.find((pair) => pair.run.host === 'host1' && pair.check === checks[position])?.run as CheckRun;
      const [failingStart, failingEnd] = windowOf(onHost1(0));
      const [quickStart, quickEnd] = windowOf(onHost1(1));
      assert.ok(quickStart <= failingEnd && failingStart <= quickEnd, `windows ${failingStart}–${failingEnd} and ${quickStart}–${quickEnd} do not overlap`);
      // Hosts one after another would add host1's 4 s to host3's 4 s; in parallel the run
      // takes about the longest host's time over PyInfra's own.
      assert.ok(ms < baseline.ms + 4000 + 3000, `took ${Math.round(ms)} ms, PyInfra alone ${Math.round(baseline.ms)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(processesWith(hang), [], 'the hanging check was stopped on host3');
    });
  });
});
