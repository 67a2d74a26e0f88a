/** Turns what a check script printed into an assertion result. */
import { parseCheckOutput } from '../../codegen/checks.js';
import type { PlannedCheck } from './plan.js';
import type { AssertionResult } from './types.js';

/** What one run of a check produced on one host. */
export interface CheckRun {
  host: string;
  stdout: string;
  stderr: string;
  /** Measured by the runner; the script's own figure is preferred when it reports one. */
  durationMs: number;
  /** Why the check did not run at all (host unreachable, cancelled…), if so. */
  notRun?: string;
}

/** The result of `check` from `run`: a missing result line is an `error`, never a pass. */
export function checkResult(check: PlannedCheck, run: CheckRun): AssertionResult {
  const base = {
    resource: check.resource,
    kind: check.resourceKind,
    assertion: check.assertion,
    host: run.host,
    expected: check.expected,
    isDefault: check.isDefault,
    ...(check.location ? { location: check.location } : {}),
  };
  const outcome = run.notRun === undefined ? parseCheckOutput(run.stdout) : undefined;
  if (!outcome) {
    const detail = lastLine(run.stderr) || lastLine(run.stdout);
    const message = run.notRun ?? `the check printed no result${detail ? `: ${detail}` : ''}`;
    return { ...base, status: 'error', message, actual: '', durationMs: Math.round(run.durationMs) };
  }
  return {
    ...base,
    status: outcome.status,
    message: outcome.message,
    actual: outcome.actual,
    durationMs: outcome.durationMs ?? Math.round(run.durationMs),
  };
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
