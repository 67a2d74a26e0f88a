/**
 * Runs check scripts on this machine with `sh`, a few at a time. Used when the inventory is
 * @local alone and PyInfra is not installed: the scripts are the same PyInfra would carry.
 */
import { execa } from 'execa';
import type { CheckRun } from './outcome.js';
import type { PlannedCheck } from './plan.js';

/** Options for `runChecksWithSh`. */
export interface ShRunOptions {
  concurrency: number;
  signal?: AbortSignal | undefined;
  environment?: Record<string, string> | undefined;
  onOutput?: ((line: string) => void) | undefined;
  /** Called as each check finishes. */
  onDone?: (check: PlannedCheck, run: CheckRun) => void;
}

/** A grace period beyond a check's own timeout before it is stopped. */
const GRACE_SECONDS = 30;

/** Runs every check with `sh -c` and returns their runs, in the order of `checks`. */
export async function runChecksWithSh(checks: readonly PlannedCheck[], options: ShRunOptions): Promise<CheckRun[]> {
  const runs: CheckRun[] = new Array(checks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const position = next++;
      const check = checks[position] as PlannedCheck;
      runs[position] = await runOne(check, options);
      options.onDone?.(check, runs[position]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, checks.length)) }, worker));
  return runs;
}

async function runOne(check: PlannedCheck, options: ShRunOptions): Promise<CheckRun> {
  const started = performance.now();
  if (options.signal?.aborted) return { host: '@local', stdout: '', stderr: '', durationMs: 0, notRun: 'cancelled' };
  const result = await execa('sh', ['-c', check.script], {
    reject: false,
    stdin: 'ignore',
    timeout: (check.timeoutSeconds + GRACE_SECONDS) * 1000,
    forceKillAfterDelay: 1000,
    ...(options.environment ? { env: options.environment } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (options.onOutput) for (const line of stderr.split('\n').filter(Boolean)) options.onOutput(line);
  const durationMs = performance.now() - started;
  const run: CheckRun = { host: '@local', stdout: typeof result.stdout === 'string' ? result.stdout : '', stderr, durationMs };
  if (result.isCanceled) return { ...run, notRun: 'cancelled' };
  if (result.timedOut) return { ...run, notRun: `the check did not finish within ${check.timeoutSeconds + GRACE_SECONDS} s and was stopped` };
  if (result.failed && result.exitCode === undefined) return { ...run, notRun: `sh could not run the check: ${result.shortMessage}` };
  return run;
}
