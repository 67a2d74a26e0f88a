/**
 * `runAssertions`: every selected assertion checked on every host, each with its own
 * result. Needs no API key and never calls the AI.
 */
import { ClockworkError } from '../../model/errors.js';
import { loadProject } from '../loader/load.js';
import { locatePyinfra, PyinfraMissingError } from '../pyinfra/locate.js';
import { checkResult, type CheckRun } from './outcome.js';
import { planChecks, type PlannedCheck } from './plan.js';
import { runChecksWithPyinfra } from './pyinfraRunner.js';
import { runChecksWithSh } from './shRunner.js';
import type { AssertionResult, AssertResult, AssertRunner, RunAssertionsOptions } from './types.js';

/** Loads the project (unless given), plans its checks and runs them. */
export async function runAssertions(options: RunAssertionsOptions): Promise<AssertResult> {
  const started = performance.now();
  const { settings } = options;
  const project =
    options.project ??
    (await loadProject({ target: settings.projectDir, timeoutMs: settings.loadTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) }));
  const checks = planChecks(project, { resources: options.resources, assertions: options.assertions });
  const { runner, pyinfra, note } = chooseRunner(options);
  options.onEvent?.({
    type: 'started',
    runner,
    message: note,
    checks: checks.map((check) => ({ resource: check.resource, assertion: check.assertion, isDefault: check.isDefault })),
  });

  const results: AssertionResult[] = [];
  const report = (check: PlannedCheck, run: CheckRun): void => {
    const result = checkResult(check, run);
    results.push(result);
    options.onEvent?.({ type: 'result', result });
  };
  if (checks.length > 0 && runner === 'sh') {
    await runChecksWithSh(checks, {
      concurrency: options.concurrency ?? 4,
      signal: options.signal,
      environment: options.environment,
      onOutput: options.onOutput,
      onDone: report,
    });
  } else if (checks.length > 0) {
    const runs = await runChecksWithPyinfra(checks, {
      pyinfra: pyinfra as string,
      outputDir: settings.outputDir,
      inventory: settings.inventory,
      signal: options.signal,
      onOutput: options.onOutput,
    });
    for (const { check, run } of runs) report(check, run);
  }
  // Results in declaration order (sh finishes them in any order), then by host.
  const order = new Map(checks.map((check, position) => [check, position]));
  const position = (result: AssertionResult): number =>
    order.get(checks.find((check) => check.resource === result.resource && check.assertion === result.assertion) as PlannedCheck) ?? 0;
  results.sort((a, b) => position(a) - position(b) || a.host.localeCompare(b.host));
  const count = (status: AssertionResult['status']): number => results.filter((result) => result.status === status).length;
  const counts = { total: results.length, passed: count('passed'), failed: count('failed'), error: count('error') };
  return { ok: counts.passed === counts.total, runner, runnerNote: note, results, counts, durationMs: Math.round(performance.now() - started) };
}

function chooseRunner(options: RunAssertionsOptions): { runner: AssertRunner; pyinfra?: string; note: string } {
  const { settings } = options;
  const wanted = options.runner ?? 'auto';
  const localOnly = settings.inventory === undefined;
  if (wanted === 'sh') {
    if (!localOnly) throw new ClockworkError(`Checks on the hosts of ${settings.inventory} run through PyInfra, not plain sh.`);
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
