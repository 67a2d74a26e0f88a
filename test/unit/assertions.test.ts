/**
 * Every one of the fifteen assertions, passing and failing, on real targets: files in a
 * temporary folder, the busybox test image serving HTTP on 127.0.0.1, a process started
 * here. Each case runs as plain sh, and through real PyInfra when it is installed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { assertionDefinitions } from '../../server/src/model/registry.js';
import { MORE_ASSERTION_KINDS } from './assertions.more.test.js';
import { checkResult } from '../../server/src/pipeline/assert/outcome.js';
import type { PlannedCheck } from '../../server/src/pipeline/assert/plan.js';
import { runChecksWithPyinfra } from '../../server/src/pipeline/assert/pyinfraRunner.js';
import { runChecksWithSh } from '../../server/src/pipeline/assert/shRunner.js';
import type { AssertionResult } from '../../server/src/pipeline/assert/types.js';
import { CASES, caseCheck, runnableCases, startTargets, type Case, type Targets } from '../support/assertCases.js';
import { findPyinfra } from '../support/assertTargets.js';
import { commandMissing, skipOrFail } from '../support/tools.js';

describe('assertion checks on real targets', function () {
  this.timeout(120_000);
  const targets = {} as Targets;
  let dockerSkip: string | undefined;
  const cleanups: (() => void | Promise<void>)[] = [];

  before(async function () {
    const started = await startTargets();
    cleanups.push(started.stop);
    Object.assign(targets, started.targets);
    dockerSkip = started.dockerSkip;
    if (dockerSkip) console.log(`      (docker cases skipped: ${dockerSkip})`);
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('has a passing and a failing case for every registered assertion', () => {
    // The kinds of issue 15 have their cases in assertions.more.test.ts.
    for (const definition of assertionDefinitions.filter((d) => !MORE_ASSERTION_KINDS.has(d.kind))) {
      for (const expect of ['passed', 'failed'] as const) {
        assert.ok(
          CASES.some((c) => c.kind === definition.kind && c.expect === expect),
          `${definition.kind} has no ${expect} case`,
        );
      }
    }
  });

  const runnable = (): Case[] => runnableCases(dockerSkip);
  const checkOf = (c: Case): PlannedCheck => caseCheck(c, targets);

  const RUNNERS = {
    sh: 'plain sh',
    busybox: 'plain sh with only BusyBox tools on PATH (curl, GNU coreutils and procps hidden)',
    pyinfra: 'PyInfra operations',
  } as const;
  for (const runner of Object.keys(RUNNERS) as (keyof typeof RUNNERS)[]) {
    describe(`run as ${RUNNERS[runner]}`, function () {
      const results = new Map<Case, AssertionResult>();
      let skipReason: string | undefined;

      before(async function () {
        if (runner === 'pyinfra' && !findPyinfra()) {
          skipReason = commandMissing('pyinfra');
          return;
        }
        let busyboxBin: string | undefined;
        if (runner === 'busybox') {
          const found = await execa('sh', ['-c', 'command -v busybox'], { reject: false });
          if (found.exitCode !== 0) {
            skipReason = commandMissing('busybox');
            return;
          }
          busyboxBin = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-busybox-'));
          const bin = busyboxBin;
          cleanups.push(() => fs.rmSync(bin, { recursive: true, force: true }));
          await execa(found.stdout.trim(), ['--install', '-s', bin]);
          const docker = await execa('sh', ['-c', 'command -v docker'], { reject: false });
          if (docker.exitCode === 0) fs.symlinkSync(docker.stdout.trim(), path.join(bin, 'docker'));
        }
        const cases = runnable();
        const checks = cases.map(checkOf);
        const started = performance.now();
        if (runner !== 'pyinfra') {
          const runs = await runChecksWithSh(checks, { ...(busyboxBin ? { environment: { PATH: busyboxBin } } : {}) });
          cases.forEach((c, i) => results.set(c, checkResult(checks[i]!, runs[i]!)));
        } else {
          const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-assert-py-'));
          cleanups.push(() => fs.rmSync(outputDir, { recursive: true, force: true }));
          const runs = await runChecksWithPyinfra(checks, { pyinfra: findPyinfra() as string, outputDir, inventory: undefined });
          for (const { check, run } of runs) results.set(cases[checks.indexOf(check)]!, checkResult(check, run));
        }
        console.log(`      (${checks.length} checks in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
      });

      for (const c of CASES) {
        it(`${c.kind}: ${c.title} → ${c.expect}`, function () {
          if (skipReason) skipOrFail(this, skipReason);
          if (c.docker && dockerSkip) skipOrFail(this, dockerSkip);
          const result = results.get(c);
          assert.ok(result, 'no result');
          if (runner === 'busybox' && c.busybox) {
            assert.equal(result.status, c.busybox, `${result.status}: ${result.message}`);
            return;
          }
          assert.equal(result.status, c.expect, `${result.status}: ${result.message} (actual: ${result.actual})`);
          assert.equal(result.host, '@local');
          if (c.actual) assert.match(result.actual, c.actual);
        });
      }
    });
  }
});
