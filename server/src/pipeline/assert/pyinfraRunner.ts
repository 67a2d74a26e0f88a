/**
 * Runs check scripts on the inventory's hosts through PyInfra: `assert.py` holds one
 * `server.shell` operation per check (with `_ignore_errors=True`, so one failure never
 * stops the rest), and each operation's stdout is read from the JSON records the results
 * helper writes — never from PyInfra's human-readable report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeInventory, writeProgram, RESULTS_MODULE, RESULTS_MODULE_NAME, type InventoryEntry, type ProgramOperation } from '../../codegen/pyinfra.js';
import { writeFileAtomic } from '../atomicWrite.js';
import { connectFaults, lostFault } from '../pyinfra/hostFaults.js';
import { pyinfraFailure } from '../pyinfra/results.js';
import { runPyinfra } from '../pyinfra/run.js';
import type { CheckRun } from './outcome.js';
import type { PlannedCheck } from './plan.js';

/** The program's file name in the output folder. */
export const ASSERT_PROGRAM = 'assert.py';

/** A grace period beyond a check's own timeout before PyInfra stops it. */
const GRACE_SECONDS = 30;

/** The source of assert.py for `checks`. */
export function writeAssertProgram(checks: readonly PlannedCheck[]): string {
  const operations: ProgramOperation[] = checks.map((check) => ({
    name: check.operation,
    call: 'server.shell',
    args: { commands: { literal: [check.script] }, _timeout: { literal: Math.ceil(check.timeoutSeconds) + GRACE_SECONDS } },
    ...(check.hosts ? { hosts: check.hosts } : {}),
  }));
  return writeProgram({ fileName: ASSERT_PROGRAM, purpose: "Checks clockwork.ts's assertions on every host.", operations });
}

/** Options for `runChecksWithPyinfra`. */
export interface PyinfraChecksOptions {
  pyinfra: string;
  outputDir: string;
  /** The user's inventory, or undefined for the generated one. */
  inventory: string | undefined;
  /** The generated inventory's hosts (by default @local alone); see pipeline/hosts.ts. */
  hosts?: readonly InventoryEntry[] | undefined;
  /** Only these hosts of the inventory (PyInfra's --limit). */
  limit?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  onOutput?: ((line: string) => void) | undefined;
}

/** Writes assert.py, runs it, and returns one run per check and host. */
export async function runChecksWithPyinfra(
  checks: readonly PlannedCheck[],
  options: PyinfraChecksOptions,
): Promise<{ check: PlannedCheck; run: CheckRun }[]> {
  const inventory = options.inventory ?? path.join(options.outputDir, 'inventory.py');
  if (options.inventory === undefined && (options.hosts || !fs.existsSync(inventory))) writeFileAtomic(inventory, writeInventory(options.hosts ?? ['@local']));
  writeFileAtomic(path.join(options.outputDir, `${RESULTS_MODULE_NAME}.py`), RESULTS_MODULE);
  writeFileAtomic(path.join(options.outputDir, ASSERT_PROGRAM), writeAssertProgram(checks));
  const byName = new Map(checks.map((check) => [check.operation, check]));
  const run = await runPyinfra({
    pyinfra: options.pyinfra,
    cwd: options.outputDir,
    inventory,
    program: ASSERT_PROGRAM,
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
  });
  const everyHost = options.limit ?? options.hosts?.map((entry) => entry.name) ?? run.hosts.map((host) => host.host);
  const faults = connectFaults(run, options.hosts, new Set(checks.flatMap((check) => check.hosts ?? everyHost)));
  if (run.hosts.length === 0 && faults.size === 0) {
    const notRun = run.cancelled ? 'cancelled' : pyinfraFailure(run);
    return checks.map((check) => ({ check, run: { host: '(all hosts)', stdout: '', stderr: '', durationMs: 0, notRun } }));
  }
  const runs: { check: PlannedCheck; run: CheckRun }[] = [];
  // A host PyInfra could not connect to: each of its checks could not run, with the cause.
  for (const [host, notRun] of faults) {
    for (const check of checks) if ((check.hosts ?? everyHost).includes(host)) runs.push({ check, run: { host, stdout: '', stderr: '', durationMs: 0, notRun } });
  }
  for (const host of run.hosts) {
    if (faults.has(host.host)) continue;
    const seen = new Set<PlannedCheck>();
    for (const operation of host.operations) {
      const check = operation.names.map((name) => byName.get(name)).find((found) => found !== undefined);
      if (!check) continue;
      seen.add(check);
      const notRun = operation.lost
        ? lostFault(host.host)
        : operation.executed
          ? undefined
          : run.cancelled
            ? 'cancelled'
            : 'did not run: PyInfra stopped on this host before reaching it';
      runs.push({
        check,
        run: {
          host: host.host,
          stdout: operation.stdout ?? '',
          stderr: operation.stderr ?? '',
          durationMs: 0,
          ...(notRun ? { notRun } : {}),
        },
      });
    }
    for (const check of checks) {
      if (seen.has(check) || (check.hosts && !check.hosts.includes(host.host))) continue;
      const notRun = host.failed ? hostProblem(host.host, run.outputTail) : 'PyInfra did not run it';
      runs.push({ check, run: { host: host.host, stdout: '', stderr: '', durationMs: 0, notRun } });
    }
  }
  return runs;
}

/** Why a host ran nothing: PyInfra's own line about it (e.g. "Could not connect (…)"), if any. */
function hostProblem(host: string, outputTail: readonly string[]): string {
  const line = [...outputTail].reverse().find((text) => text.includes(`[${host}]`));
  const detail = line?.slice(line.indexOf(`[${host}]`) + host.length + 2).trim();
  return `host ${host} is unreachable${detail ? `: ${detail}` : ' (PyInfra could not connect to it)'}`;
}
