/**
 * Quick checks on a host cost it no process each: a worker runs their first attempts one
 * after another, so a host with many checks (and many hosts on few cores) is not swamped by
 * process starts. What a user would notice if that went wrong: checks of a busy host that
 * time out though nothing is wrong, a check that kills its worker and takes the rest with
 * it, or a check that sees what the one before it left behind. Each through plain sh and
 * BusyBox sh; the hand-off of a hanging check is in assertions.parallel.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { freshVariables } from '../../server/src/codegen/hostScript.js';
import { assertionDefinitions } from '../../server/src/model/registry.js';
import { checkResult, type CheckRun } from '../../server/src/pipeline/assert/outcome.js';
import type { PlannedCheck } from '../../server/src/pipeline/assert/plan.js';
import { runChecksWithSh } from '../../server/src/pipeline/assert/shRunner.js';
import { busyboxPath, plannedCheck, useTargetDir } from '../support/assertTargets.js';
import { commandMissing, skipOrFail } from '../support/tools.js';

/** A quick check whose attempt is `attempt` (a FileExists check's timeout and labels). */
function customCheck(attempt: string, timeoutSeconds = 1): PlannedCheck {
  const base = plannedCheck('FileExistsAssert', { path: '/', timeoutSeconds });
  return { ...base, assertion: { ...base.assertion, kind: 'CustomCheck' }, check: { ...base.check, values: {}, attempt } };
}

/** The last process id the kernel handed out (it grows by one per process started). */
function lastPid(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).at(-1));
}

describe('quick checks run in a worker', function () {
  this.timeout(60_000);
  const suite = useTargetDir();

  it('names, for each attempt, the variables it must start without: its own, never the runner’s', () => {
    const body = 'cw_size=$(wc -c < "$v_path"); read -r cw_a cw_b < x; for cw_f in a; do :; done; [ "${#cw_seen}" -gt 0 ]; cw_pass "$cw_size" "$cw_deadline $cw_clock_ms"';
    assert.deepEqual(freshVariables(body), ['cw_a', 'cw_b', 'cw_f', 'cw_seen', 'cw_size']);
    // Every registered kind's attempt: the outcome, deadline and clock are the runner's, and
    // nothing an attempt uses is the runner's own state (cwr_…).
    for (const definition of assertionDefinitions) {
      const literal = definition.example.replace(/^new \w+\(/, '').replace(/\)$/, '');
      const spec = definition.schema.parse(new Function(`return (${literal});`)());
      const check = definition.check(spec as never, { projectDir: '/srv', resourceKind: 'FileResource', resourceName: 'x', container: undefined });
      const fresh = freshVariables(check.attempt);
      for (const name of ['cw_status', 'cw_actual', 'cw_message', 'cw_deadline', 'cw_clock_ms', 'cw_started']) {
        assert.ok(!fresh.includes(name), `${definition.kind} would unset ${name}`);
      }
      assert.doesNotMatch(check.attempt, /\bcwr_/, `${definition.kind} uses the runner's state`);
    }
  });

  for (const runner of ['sh', 'busybox'] as const) {
    describe(runner === 'sh' ? 'as plain sh' : 'as BusyBox sh with BusyBox tools alone', () => {
      let environment: Record<string, string> = {};
      before(async function () {
        if (runner === 'sh') return;
        const bin = await busyboxPath();
        if (!bin) skipOrFail(this, commandMissing('busybox') ?? 'busybox is not installed');
        suite.temporary.push(bin);
        environment = { PATH: bin };
      });

      it('runs 300 file checks with a 1 s timeout on time, starting no process per check', async () => {
        const checks = Array.from({ length: 300 }, () => plannedCheck('FileExistsAssert', { path: suite.target.file, timeoutSeconds: 1 }));
        const before = lastPid();
        const runs = await runChecksWithSh(checks, { environment });
        const started = lastPid() - before;
        const results = checks.map((check, i) => checkResult(check, runs[i] as CheckRun));
        assert.deepEqual(
          results.filter((result) => result.status !== 'passed').map((result) => `${result.status}: ${result.actual} ${result.message}`),
          [],
        );
        // sh itself, mktemp, mkfifo, the worker, the ticker and its naps, rm: a few dozen at
        // most (other processes on this machine may add some). One job per check was 600.
        if (started >= 0) assert.ok(started < 100, `${started} processes started for 300 checks`);
      });

      it('reports a check whose attempt ends its shell, and runs the checks after it', async () => {
        const checks = [
          plannedCheck('FileExistsAssert', { path: suite.target.file }),
          customCheck('echo "the attempt gave up" >&2; exit 3'),
          plannedCheck('FileExistsAssert', { path: suite.target.file }),
          plannedCheck('FileContentMatchesAssert', { path: suite.target.file, pattern: '^second line$' }),
        ];
        const runs = await runChecksWithSh(checks, { environment });
        const results = checks.map((check, i) => checkResult(check, runs[i] as CheckRun));
        assert.deepEqual(
          results.map((result) => result.status),
          ['passed', 'error', 'passed', 'passed'],
        );
        assert.match(results[1]!.message, /the check ended without a result: the attempt gave up/);
      });

      it('starts each attempt as in a shell of its own: nothing the check before it left is seen', async () => {
        const checks = [
          customCheck('cw_seen=left-over; cw_pass set'),
          customCheck('if [ -n "$cw_seen" ]; then cw_fail "$cw_seen" "saw what the check before it left"; else cw_pass clean; fi'),
        ];
        const runs = await runChecksWithSh(checks, { environment });
        const results = checks.map((check, i) => checkResult(check, runs[i] as CheckRun));
        assert.deepEqual(
          results.map((result) => [result.status, result.actual]),
          [
            ['passed', 'set'],
            ['passed', 'clean'],
          ],
        );
      });
    });
  }
});
