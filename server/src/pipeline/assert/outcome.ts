/** Turns what a host's check script reported for a check into an assertion result. */
import type { CheckOutcome } from '../../codegen/checks.js';
import type { PlannedCheck } from './plan.js';
import type { AssertionResult } from './types.js';

/** What one run of a check produced on one host. */
export interface CheckRun {
  host: string;
  /** The check's own record, when the script reported one. */
  outcome?: CheckOutcome | undefined;
  /** Without a record: the last thing the script or PyInfra said, to explain why. */
  detail?: string | undefined;
  /** Measured by the runner; the script's own figure is preferred when it reports one. */
  durationMs: number;
  /** Why the check did not run at all (host unreachable, cancelled…), if so. */
  notRun?: string | undefined;
}

/** The result of `check` from `run`: a check without a record is an `error`, never a pass. */
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
  const outcome = run.notRun === undefined ? run.outcome : undefined;
  if (!outcome) {
    const message = run.notRun ?? `the check printed no result${run.detail ? `: ${run.detail}` : ''}`;
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

/** The last non-empty line of `text` ('' when none). */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
