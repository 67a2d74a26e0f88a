/**
 * Runs the checks on this machine with `sh`, used when the inventory is @local alone and
 * PyInfra is not installed: the same host script PyInfra would carry (codegen/hostScript.ts),
 * handed to `sh -s` on stdin, every check at once. Each check is reported as its record
 * arrives, not when the slowest one is done.
 */
import { execa } from 'execa';
import { parseCheckRecords } from '../../codegen/checks.js';
import { hostScript, STOP_GRACE_SECONDS } from '../../codegen/hostScript.js';
import { lastLine, type CheckRun } from './outcome.js';
import type { PlannedCheck } from './plan.js';

/** Options for `runChecksWithSh`. */
export interface ShRunOptions {
  signal?: AbortSignal | undefined;
  /** Extra environment for the script (e.g. a restricted PATH; `sh` itself is found on it). */
  environment?: Record<string, string> | undefined;
  /** The script's stderr, line by line. */
  onOutput?: ((line: string) => void) | undefined;
  /** Called as each check finishes. */
  onDone?: ((check: PlannedCheck, run: CheckRun) => void) | undefined;
}

/** A safety margin beyond the script's own deadlines before the whole script is stopped. */
const MARGIN_SECONDS = 30;
const HOST = '@local';

/** Runs every check at once in one `sh` and returns their runs, in the order of `checks`. */
export async function runChecksWithSh(checks: readonly PlannedCheck[], options: ShRunOptions): Promise<CheckRun[]> {
  const runs: (CheckRun | undefined)[] = new Array(checks.length);
  const started = performance.now();
  const finish = (position: number, run: CheckRun): void => {
    if (runs[position]) return;
    runs[position] = run;
    options.onDone?.(checks[position] as PlannedCheck, run);
  };
  if (checks.length === 0) return [];
  if (options.signal?.aborted) {
    checks.forEach((_, position) => finish(position, { host: HOST, durationMs: 0, notRun: 'cancelled' }));
    return runs as CheckRun[];
  }
  const stderr: string[] = [];
  const onStdout = function* (line: unknown): Generator<never> {
    for (const [id, outcome] of parseCheckRecords(String(line))) {
      if (id < checks.length) finish(id, { host: HOST, outcome, durationMs: performance.now() - started });
    }
  };
  const onStderr = function* (line: unknown): Generator<never> {
    stderr.push(String(line));
    if (stderr.length > 40) stderr.shift();
    options.onOutput?.(String(line));
  };
  const limitSeconds = Math.max(...checks.map((check) => check.timeoutSeconds)) + STOP_GRACE_SECONDS + MARGIN_SECONDS;
  const child = execa('sh', ['-s'], {
    input: hostScript(checks.map((check, id) => ({ ...check.check, id }))),
    stdout: ['pipe', { transform: onStdout }],
    stderr: ['pipe', { transform: onStderr }],
    reject: false,
    timeout: limitSeconds * 1000,
    // Its own process group: a cancellation stops every check's processes, too.
    detached: true,
    ...(options.environment ? { env: options.environment } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const onAbort = (): void => killGroup('SIGTERM');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let result: Awaited<typeof child>;
  try {
    result = await child;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (result.isCanceled || result.timedOut) killGroup('SIGKILL');
  const notRun = result.isCanceled
    ? 'cancelled'
    : result.timedOut
      ? `the checks did not finish within ${limitSeconds} s and were stopped`
      : result.exitCode === undefined
        ? `sh could not run the checks: ${result.shortMessage}`
        : undefined;
  const detail = lastLine(stderr.join('\n')) || undefined;
  const durationMs = performance.now() - started;
  checks.forEach((_, position) => finish(position, { host: HOST, durationMs, ...(notRun ? { notRun } : { detail }) }));
  return runs as CheckRun[];
}
