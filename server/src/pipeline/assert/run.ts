/**
 * `runAssertions`: every selected assertion checked on every host, each with its own
 * result, recorded in `.clockwork/results.json`. Needs no API key and never calls the AI.
 */
import * as path from 'node:path';
import { ClockworkError } from '../../model/errors.js';
import { projectFor } from '../project.js';
import { checkKeyFiles, hostPlan, runLimit } from '../hosts.js';
import { startEarly } from '../pyinfra/early.js';
import { locatePyinfra, PyinfraMissingError } from '../pyinfra/locate.js';
import type { PausedPyinfra } from '../pyinfra/run.js';
import { checkResult, type CheckRun } from './outcome.js';
import { planChecks, type PlannedCheck } from './plan.js';
import { ASSERT_PROGRAM, runChecksWithPyinfra } from './pyinfraRunner.js';
import { recordResults } from './resultsFile.js';
import { runChecksWithSh } from './shRunner.js';
import type { AssertionResult, AssertOutcome, AssertRunner, RunAssertionsOptions } from './types.js';

/** Loads the project (unless given), plans its checks and runs them, reporting each result as it arrives. */
export async function runAssertions(options: RunAssertionsOptions): Promise<AssertOutcome> {
  const emit = options.onEvent ?? (() => undefined);
  // PyInfra starts now on the last assert.py, paused: it runs if the checks come out the same.
  let early = options.runner === 'sh' ? undefined : startEarlyAssert(options, (line) => emit({ type: 'output', source: 'pyinfra', line }));
  try {
    return await runPlanned(options, () => {
      const taken = early;
      early = undefined;
      return taken;
    });
  } finally {
    await early?.stop();
  }
}

async function runPlanned(options: RunAssertionsOptions, takeEarly: () => PausedPyinfra | undefined): Promise<AssertOutcome> {
  const started = performance.now();
  const { settings } = options;
  const emit = options.onEvent ?? (() => undefined);
  const project = await projectFor(options);
  const placement = hostPlan(project, settings, { only: options.hosts });
  const checks = planChecks(project, { resources: options.resources, assertions: options.assertions }, placement.hostsOf);
  const remote = (project.hosts ?? []).length > 0;
  const { runner, pyinfra, note } = chooseRunner(options, remote);
  emit({
    type: 'step',
    step: 'checking',
    message: note,
    runner,
    checks: checks.map((check) => ({ resource: check.resource, assertion: check.assertion, isDefault: check.isDefault })),
  });

  // Each result with the position of its check, to list them in declaration order (then by host).
  const reported: { position: number; result: AssertionResult }[] = [];
  const order = new Map(checks.map((check, position) => [check, position]));
  const report = (check: PlannedCheck, run: CheckRun): void => {
    const result = checkResult(check, run);
    reported.push({ position: order.get(check) ?? 0, result });
    emit({ type: 'assertion', result, done: reported.length });
  };
  const onOutput = (line: string): void => emit({ type: 'output', source: runner, line });
  if (checks.length > 0 && runner === 'sh') {
    await runChecksWithSh(checks, {
      signal: options.signal,
      environment: options.environment,
      onOutput,
      onDone: report,
    });
  } else if (checks.length > 0) {
    checkKeyFiles(placement.inventory);
    const runs = await runChecksWithPyinfra(checks, {
      pyinfra: pyinfra as string,
      outputDir: settings.outputDir,
      inventory: settings.inventory,
      hosts: remote ? placement.inventory : undefined,
      limit: runLimit(placement, checks.map((check) => check.hosts)),
      signal: options.signal,
      onOutput,
      early: takeEarly(),
    });
    for (const { check, run } of runs) report(check, run);
  }
  const results = reported
    .sort((a, b) => a.position - b.position || a.result.host.localeCompare(b.result.host))
    .map(({ result }) => result);
  const count = (status: AssertionResult['status']): number => results.filter((result) => result.status === status).length;
  const counts = { total: results.length, passed: count('passed'), failed: count('failed'), error: count('error') };
  // A cancelled run's partial results are not recorded: they would look like a complete check.
  if (!options.signal?.aborted) {
    try {
      recordResults(settings.stateDir, project, results);
    } catch (error) {
      emit({ type: 'note', message: `Could not record the results in ${settings.stateDir}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return {
    command: 'assert',
    ok: counts.passed === counts.total,
    cancelled: options.signal?.aborted ?? false,
    runner,
    runnerNote: note,
    results,
    counts,
    durationMs: Math.round(performance.now() - started),
  };
}

/** PyInfra started paused on the last assert.py (see pyinfra/early.ts), when it may. */
function startEarlyAssert(options: RunAssertionsOptions, onOutput: (line: string) => void): PausedPyinfra | undefined {
  const { settings, signal } = options;
  let pyinfra: string;
  try {
    pyinfra = locatePyinfra(settings);
  } catch {
    return undefined;
  }
  const inventory = settings.inventory ?? path.join(settings.outputDir, 'inventory.py');
  return startEarly({ pyinfra, cwd: settings.outputDir, inventory, program: ASSERT_PROGRAM, ...(signal ? { signal } : {}), onOutput });
}

function chooseRunner(options: RunAssertionsOptions, remote: boolean): { runner: AssertRunner; pyinfra?: string; note: string } {
  const { settings } = options;
  const wanted = options.runner ?? 'auto';
  const localOnly = settings.inventory === undefined && !remote;
  if (wanted === 'sh') {
    if (!localOnly) throw new ClockworkError(`Checks on the hosts of ${settings.inventory ?? 'clockwork.ts'} run through PyInfra, not plain sh.`);
    return { runner: 'sh', note: 'Running the checks with sh on this machine (@local).' };
  }
  try {
    const pyinfra = locatePyinfra(settings);
    return { runner: 'pyinfra', pyinfra, note: `Running the checks through PyInfra (${pyinfra}).` };
  } catch (error) {
    if (!(error instanceof PyinfraMissingError) || wanted === 'pyinfra' || !localOnly) throw error;
    return { runner: 'sh', note: 'PyInfra is not installed: running the checks with sh on this machine (@local).' };
  }
}
