/**
 * Assertion benchmark (npm run bench:assert). Prints ratios measured in one run, the two sides
 * run one after the other in every round (every other round in reverse order), as medians of
 * each round's ratio (ROUNDS, default 7):
 *  1. the assertion suite of test/unit/assertions.test.ts (a passing and a failing case of
 *     every kind, on real targets) through PyInfra against the same suite as plain sh
 *     (goal ≤ 1.3 ×);
 *  2. 10 failing checks with a 3 s timeout each against 3 s + one passing run of the same
 *     checks (goal ≤ 1 ×; one after another they would take 10 × 3 s), through PyInfra and
 *     as plain sh;
 *  3. with the SSH hosts of test/setup/ssh-hosts.sh (root, ip netns): 10 host-level checks
 *     through PyInfra on 20 hosts against the same on one host (goal ≤ 1.5 ×).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { checkResult, type CheckRun } from '../../server/src/pipeline/assert/outcome.js';
import type { PlannedCheck } from '../../server/src/pipeline/assert/plan.js';
import { runChecksWithPyinfra } from '../../server/src/pipeline/assert/pyinfraRunner.js';
import { runChecksWithSh } from '../../server/src/pipeline/assert/shRunner.js';
import { caseCheck, runnableCases, sshInventory, startTargets, type Case } from '../support/assertCases.js';
import { findPyinfra, plannedCheck } from '../support/assertTargets.js';
import { sshHostsUnavailable, SshFleet } from '../support/sshHosts.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 7);
const temporary: string[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const load = (): string => os.loadavg().map((value) => value.toFixed(2)).join(' ');

/** Runs both sides of a ratio: the first one first in even rounds, the second one first in odd rounds. */
async function both<A, B>(round: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) {
    const a = await first();
    return [a, await second()];
  }
  const b = await second();
  return [await first(), b];
}

/** Runs `checks` with a runner and returns the wall time and the statuses. */
async function timed(runner: 'sh' | 'pyinfra', checks: PlannedCheck[], pyinfra: string, inventory?: string): Promise<{ ms: number; runs: { check: PlannedCheck; run: CheckRun }[] }> {
  const started = performance.now();
  if (runner === 'sh') {
    const runs = await runChecksWithSh(checks, {});
    return { ms: performance.now() - started, runs: runs.map((run, i) => ({ check: checks[i] as PlannedCheck, run })) };
  }
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-bench-assert-'));
  temporary.push(outputDir);
  const runs = await runChecksWithPyinfra(checks, { pyinfra, outputDir, inventory });
  return { ms: performance.now() - started, runs };
}

/** Warns when a run's results are not the expected ones (a broken run's time means nothing). */
function expectStatuses(label: string, runs: { check: PlannedCheck; run: CheckRun }[], expected: (check: PlannedCheck) => string): void {
  const wrong = runs.map(({ check, run }) => ({ check, result: checkResult(check, run) })).filter(({ check, result }) => result.status !== expected(check));
  for (const { result } of wrong.slice(0, 3)) console.log(`  ! ${label}: ${result.assertion.kind} on ${result.host}: ${result.status} ${result.message}`);
}

async function suiteRatio(pyinfra: string): Promise<void> {
  const started = await startTargets();
  try {
    const cases = runnableCases(started.dockerSkip);
    const checks = cases.map((c) => caseCheck(c, started.targets));
    const expected = new Map<PlannedCheck, string>(checks.map((check, i) => [check, (cases[i] as Case).expect]));
    console.log(`\n1. The assertion suite: ${checks.length} checks on @local${started.dockerSkip ? ` (Docker cases left out: ${started.dockerSkip})` : ''}`);
    const sh: number[] = [];
    const py: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await both(round, () => timed('sh', checks, pyinfra), () => timed('pyinfra', checks, pyinfra));
      expectStatuses('sh', a.runs, (check) => expected.get(check) ?? '');
      expectStatuses('pyinfra', b.runs, (check) => expected.get(check) ?? '');
      sh.push(a.ms);
      py.push(b.ms);
      ratios.push(b.ms / a.ms);
    }
    console.log(`   plain sh:        ${seconds(median(sh))}  (runs: ${sh.map(seconds).join(', ')})`);
    console.log(`   through PyInfra: ${seconds(median(py))}  (runs: ${py.map(seconds).join(', ')})`);
    const ratio = median(ratios);
    console.log(`   PyInfra / sh: ${ratio.toFixed(2)} × (median of each round's ratio; goal ≤ 1.3 ×: ${ratio <= 1.3 ? 'met' : 'NOT met'})`);
  } finally {
    await started.stop();
  }
}

async function failingRatio(pyinfra: string): Promise<void> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-bench-failing-')));
  temporary.push(dir);
  const names = Array.from({ length: 10 }, (_, i) => `file-${i}.txt`);
  for (const name of names) fs.writeFileSync(path.join(dir, name), 'present\n');
  const failing = names.map((name) => plannedCheck('FileExistsAssert', { path: path.join(dir, 'missing', name), timeoutSeconds: 3 }));
  const passing = names.map((name) => plannedCheck('FileExistsAssert', { path: path.join(dir, name), timeoutSeconds: 3 }));
  console.log('\n2. 10 failing checks with a 3 s timeout each, against 3 s + one passing run of the same 10 checks');
  console.log('   (one after another, the failing run would take 10 × 3 s = 30 s)');
  for (const runner of ['pyinfra', 'sh'] as const) {
    const failingRuns: number[] = [];
    const passingRuns: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [fail, pass] = await both(round, () => timed(runner, failing, pyinfra), () => timed(runner, passing, pyinfra));
      expectStatuses(runner, fail.runs, () => 'failed');
      expectStatuses(runner, pass.runs, () => 'passed');
      failingRuns.push(fail.ms);
      passingRuns.push(pass.ms);
      ratios.push(fail.ms / (3000 + pass.ms));
    }
    const ratio = median(ratios);
    const label = runner === 'pyinfra' ? 'through PyInfra' : 'plain sh       ';
    console.log(
      `   ${label}: failing ${seconds(median(failingRuns))}, passing ${seconds(median(passingRuns))}; failing / (3 s + passing) = ${ratio.toFixed(3)} × (median of each round's ratio; of the medians: ${(median(failingRuns) / (3000 + median(passingRuns))).toFixed(3)} ×; goal ≤ 1 ×: ${ratio <= 1 ? 'met' : 'NOT met'})`,
    );
  }
}

/** The host-level cases (no Docker, nothing on 127.0.0.1 of this machine) for SSH hosts. */
function hostLevelChecks(): PlannedCheck[] {
  return [
    plannedCheck('FileExistsAssert', { path: '/etc/hostname' }),
    plannedCheck('FileExistsAssert', { path: '/srv/missing.txt', timeoutSeconds: 1 }),
    plannedCheck('FilePermissionsAssert', { path: '/etc/passwd', mode: '644' }),
    plannedCheck('FileSizeAssert', { path: '/etc/hostname', minBytes: 1 }),
    plannedCheck('FileContentMatchesAssert', { path: '/etc/hostname', pattern: '.' }),
    plannedCheck('MemoryUsageAssert', { maxMb: 10_000_000 }),
    plannedCheck('CpuUsageAssert', { maxPercent: 100 }),
    plannedCheck('DiskUsageAssert', { path: '/', maxPercent: 100 }),
    plannedCheck('ProcessRunningAssert', { name: 'sshd' }),
    plannedCheck('ProcessNotRunningAssert', { name: 'cw-not-here' }),
  ];
}

async function hostsRatio(pyinfra: string): Promise<void> {
  console.log('\n3. The same checks on 20 SSH hosts against one host (test/setup/ssh-hosts.sh: sshd in network namespaces)');
  const reason = sshHostsUnavailable();
  if (reason) {
    console.log(`   left out: ${reason}`);
    return;
  }
  const fleet = await SshFleet.start(20);
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-bench-hosts-'));
    temporary.push(dir);
    const inventory = (count: number): string => {
      const file = path.join(dir, `inventory-${count}.py`);
      fs.writeFileSync(file, sshInventory(fleet.hosts.slice(0, count)));
      return file;
    };
    const [one, all] = [inventory(1), inventory(20)];
    const checks = hostLevelChecks();
    const expected = (check: PlannedCheck): string => (check.timeoutSeconds === 1 ? 'failed' : 'passed');
    // PyInfra's own floor on these hosts: one operation that does nothing.
    fs.writeFileSync(path.join(dir, 'noop.py'), 'from pyinfra.operations import server\n\nserver.shell(name="nothing", commands=["true"])\n');
    const bare = async (inventoryFile: string): Promise<number> => {
      const started = performance.now();
      const run = await execa(pyinfra, ['-y', inventoryFile, 'noop.py'], { cwd: dir, reject: false });
      if (run.exitCode !== 0) console.log(`  ! bare PyInfra failed: ${run.stderr.split('\n').at(-1)}`);
      return performance.now() - started;
    };
    const single: number[] = [];
    const many: number[] = [];
    const ratios: number[] = [];
    const floor: number[] = [];
    const bareSingle: number[] = [];
    const bareMany: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await both(round, () => timed('pyinfra', checks, pyinfra, one), () => timed('pyinfra', checks, pyinfra, all));
      expectStatuses('1 host', a.runs, expected);
      expectStatuses('20 hosts', b.runs, expected);
      if (b.runs.length !== checks.length * 20) console.log(`  ! 20 hosts: ${b.runs.length} results, expected ${checks.length * 20}`);
      single.push(a.ms);
      many.push(b.ms);
      ratios.push(b.ms / a.ms);
      const [bareOne, bareAll] = await both(round, () => bare(one), () => bare(all));
      floor.push(bareAll / bareOne);
      bareSingle.push(bareOne);
      bareMany.push(bareAll);
    }
    console.log(`   ${checks.length} checks on 1 host:   ${seconds(median(single))}  (runs: ${single.map(seconds).join(', ')})`);
    console.log(`   ${checks.length} checks on 20 hosts: ${seconds(median(many))}  (runs: ${many.map(seconds).join(', ')})`);
    const ratio = median(ratios);
    console.log(`   20 hosts / 1 host: ${ratio.toFixed(2)} × (goal ≤ 1.5 ×: ${ratio <= 1.5 ? 'met' : 'NOT met'})`);
    console.log(
      `   PyInfra's own floor here, one operation that does nothing: ${seconds(median(bareSingle))} on 1 host, ${seconds(median(bareMany))} on 20: ${median(floor).toFixed(2)} ×`,
    );
    const beyond = (median(many) - median(bareMany)) / (median(single) - median(bareSingle));
    console.log(`   the checks' own time beyond that floor: 20 hosts / 1 host = ${beyond.toFixed(2)} ×`);
  } finally {
    await fleet.stop();
  }
}

async function main(): Promise<void> {
  const pyinfra = findPyinfra();
  if (!pyinfra) {
    console.log('Assertion benchmark: skipped (pyinfra is not on PATH)');
    return;
  }
  console.log(`Assertion benchmark: ${ROUNDS} rounds, the two sides alternating (every other round reversed); medians. Load average at start: ${load()} (${os.cpus().length} cores)`);
  await suiteRatio(pyinfra);
  await failingRatio(pyinfra);
  await hostsRatio(pyinfra);
  console.log(`\nLoad average at the end: ${load()}`);
}

try {
  await main();
} finally {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
}
