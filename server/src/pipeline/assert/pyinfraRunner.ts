/**
 * Runs the checks on the inventory's hosts through PyInfra: `assert.py` holds ONE
 * `server.shell` operation that hands each host its script (codegen/hostScript.ts) on stdin,
 * so every host runs all of its checks at once, all hosts in parallel, in one round trip.
 * Each check's record is read from the operation's stdout, which the results helper writes
 * per host — never from PyInfra's human-readable report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCheckRecords } from '../../codegen/checks.js';
import { hostScript, STOP_GRACE_SECONDS } from '../../codegen/hostScript.js';
import { writeInventory, writeProgram, RESULTS_MODULE, RESULTS_MODULE_NAME, type InventoryEntry } from '../../codegen/pyinfra.js';
import type { OperationArgument } from '../../model/operations.js';
import { writeFileAtomicIfChanged } from '../atomicWrite.js';
import { connectFaults, lostFault } from '../pyinfra/hostFaults.js';
import { pyinfraFailure } from '../pyinfra/results.js';
import { runPyinfra, type OperationRecord, type PausedPyinfra } from '../pyinfra/run.js';
import { lastLine, type CheckRun } from './outcome.js';
import type { PlannedCheck } from './plan.js';

/** The program's file name in the output folder. */
export const ASSERT_PROGRAM = 'assert.py';

/** The name of the one operation that runs a host's checks. */
export const ASSERT_OPERATION = 'Clockwork assertions';

/** A margin beyond the scripts' own deadlines before PyInfra stops the operation. */
const MARGIN_SECONDS = 30;

/** Which checks each host runs, as distinct sets of positions in the list of checks. */
export interface HostPlan {
  /** Distinct sets of positions; the first is the set for hosts no check names. */
  choices: number[][];
  /** The set of each host some check names. */
  choiceOf: Map<string, number>;
}

/** Checks without `hosts` run on every host, the others on the hosts they name. */
export function planHosts(checks: readonly PlannedCheck[]): HostPlan {
  const positions = checks.map((_, position) => position);
  const choices = [positions.filter((position) => checks[position]?.hosts === undefined)];
  const keys = new Map([[choices[0]?.join(','), 0]]);
  const choiceOf = new Map<string, number>();
  for (const host of new Set(checks.flatMap((check) => check.hosts ?? []))) {
    const set = positions.filter((position) => checks[position]?.hosts?.includes(host) ?? true);
    const key = set.join(',');
    if (!keys.has(key)) keys.set(key, choices.push(set) - 1);
    choiceOf.set(host, keys.get(key) as number);
  }
  return { choices, choiceOf };
}

/** The positions of the checks `host` runs. */
export function checksOn(plan: HostPlan, host: string): number[] {
  return plan.choices[plan.choiceOf.get(host) ?? 0] ?? [];
}

/** The source of assert.py for `checks`. */
export function writeAssertProgram(checks: readonly PlannedCheck[]): string {
  const plan = planHosts(checks);
  const scripts = plan.choices.map((set) => hostScript(set.map((position) => ({ ...(checks[position] as PlannedCheck).check, id: position }))));
  const stdin: OperationArgument =
    scripts.length === 1
      ? { literal: scripts[0] as string }
      : { byHost: { choices: scripts, choiceOf: Object.fromEntries(plan.choiceOf), otherwise: 0 } };
  const longest = Math.max(0, ...checks.map((check) => check.timeoutSeconds));
  return writeProgram({
    fileName: ASSERT_PROGRAM,
    purpose: "Checks clockwork.ts's assertions: each host runs all of its checks at once, in one operation.",
    operations: [
      {
        name: ASSERT_OPERATION,
        call: 'server.shell',
        args: { commands: { literal: ['sh -s'] }, _stdin: stdin, _timeout: { literal: Math.ceil(longest) + STOP_GRACE_SECONDS + MARGIN_SECONDS } },
      },
    ],
  });
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
  /** PyInfra started early on the last assert.py (pyinfra/early.ts): run when nothing changed, else stopped. */
  early?: PausedPyinfra | undefined;
}

/** Writes assert.py, runs it, and returns one run per check and host. */
export async function runChecksWithPyinfra(
  checks: readonly PlannedCheck[],
  options: PyinfraChecksOptions,
): Promise<{ check: PlannedCheck; run: CheckRun }[]> {
  const inventory = options.inventory ?? path.join(options.outputDir, 'inventory.py');
  let written = false;
  if (options.inventory === undefined && (options.hosts || !fs.existsSync(inventory))) {
    if (writeFileAtomicIfChanged(inventory, writeInventory(options.hosts ?? ['@local']))) written = true;
  }
  if (writeFileAtomicIfChanged(path.join(options.outputDir, `${RESULTS_MODULE_NAME}.py`), RESULTS_MODULE)) written = true;
  if (writeFileAtomicIfChanged(path.join(options.outputDir, ASSERT_PROGRAM), writeAssertProgram(checks))) written = true;
  // The PyInfra started early runs every host of the inventory on the last assert.py: only when that still fits.
  const early = options.early && !written && !options.limit ? options.early : undefined;
  if (options.early && !early) await options.early.stop();
  const run = early
    ? await early.go()
    : await runPyinfra({
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
    return checks.map((check) => ({ check, run: { host: '(all hosts)', durationMs: 0, notRun } }));
  }
  const plan = planHosts(checks);
  const runs: { check: PlannedCheck; run: CheckRun }[] = [];
  // A host PyInfra could not connect to: each of its checks could not run, with the cause.
  for (const [host, notRun] of faults) {
    for (const check of checks) if ((check.hosts ?? everyHost).includes(host)) runs.push({ check, run: { host, durationMs: 0, notRun } });
  }
  for (const host of run.hosts) {
    if (faults.has(host.host)) continue;
    const operation = host.operations.find((record) => record.names.includes(ASSERT_OPERATION));
    const outcomes = operation?.executed ? parseCheckRecords(operation.stdout ?? '') : new Map();
    const notRun = !operation
      ? host.failed
        ? hostProblem(host.host, run.outputTail)
        : 'PyInfra did not run it'
      : operation.lost
        ? lostFault(host.host)
        : !operation.executed
          ? run.cancelled
            ? 'cancelled'
            : 'did not run: PyInfra stopped on this host before reaching it'
          : undefined;
    const detail = operation ? whyNoRecord(operation, host.host, run.outputTail) : undefined;
    for (const position of checksOn(plan, host.host)) {
      const outcome = outcomes.get(position);
      runs.push({ check: checks[position] as PlannedCheck, run: { host: host.host, durationMs: 0, ...(notRun ? { notRun } : outcome ? { outcome } : { detail }) } });
    }
  }
  return runs;
}

/** For a check without a record: what the host's script or PyInfra last said. */
function whyNoRecord(operation: OperationRecord, host: string, outputTail: readonly string[]): string | undefined {
  const stdout = (operation.stdout ?? '').split('\n').filter((line) => parseCheckRecords(line).size === 0);
  return lastLine(operation.stderr ?? '') || lastLine(stdout.join('\n')) || hostLine(host, outputTail) || undefined;
}

/** PyInfra's last line about `host`, without the host prefix. */
function hostLine(host: string, outputTail: readonly string[]): string | undefined {
  const line = [...outputTail].reverse().find((text) => text.includes(`[${host}]`));
  return line?.slice(line.indexOf(`[${host}]`) + host.length + 2).trim() || undefined;
}

/** Why a host ran nothing: PyInfra's own line about it (e.g. "Could not connect (…)"), if any. */
function hostProblem(host: string, outputTail: readonly string[]): string {
  const detail = hostLine(host, outputTail);
  return `host ${host} is unreachable${detail ? `: ${detail}` : ' (PyInfra could not connect to it)'}`;
}
