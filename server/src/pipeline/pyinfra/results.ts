/** Per-resource, per-host results from the per-operation records of a PyInfra run. */
import type { ResourceIdentity } from '../../model/define.js';
import { ANY_HOST } from '../state.js';
import type { OperationOwner } from '../compile/compile.js';
import type { OperationRecord, PyinfraRun } from './run.js';

/** What happened to a resource on a host. */
export type ResourceStatus = 'changed' | 'unchanged' | 'failed';

/** One resource's result on one host. */
export interface ResourceResult {
  /** The resource's name. */
  resource: string;
  kind: string;
  identity: ResourceIdentity;
  host: string;
  /** `deploy` for declared resources, `remove` for ones being removed. */
  action: 'deploy' | 'remove';
  status: ResourceStatus;
  /** PyInfra's error text when failed. */
  error?: string;
  /** True when at least one of its operations ran (something on the host may have changed). */
  executed: boolean;
  /** What the plan said apply would do to it (create, change, unchanged), for reports in the plan's words. */
  planned?: 'create' | 'change' | 'unchanged';
}

/**
 * How many results of a run created a resource, changed one, found nothing to change, removed
 * one, or failed: the plan's words (a resource the plan called unchanged that PyInfra had to
 * change, because it differed on the host, counts as changed).
 */
export interface ResourceCounts {
  created: number;
  changed: number;
  unchanged: number;
  removed: number;
  failed: number;
}

/** Counts results (one per resource and host). */
export function countResults(results: readonly ResourceResult[]): ResourceCounts {
  const count = (predicate: (result: ResourceResult) => boolean): number => results.filter(predicate).length;
  return {
    created: count((result) => result.action === 'deploy' && result.status === 'changed' && result.planned === 'create'),
    changed: count((result) => result.action === 'deploy' && result.status === 'changed' && result.planned !== 'create'),
    unchanged: count((result) => result.action === 'deploy' && result.status === 'unchanged'),
    removed: count((result) => result.action === 'remove' && result.status !== 'failed'),
    failed: count((result) => result.status === 'failed'),
  };
}

/**
 * Combines operation records by owner: failed if any operation failed or did not run,
 * changed if any changed, unchanged otherwise. A run that produced no records at all (PyInfra
 * stopped before running anything) fails every resource with the end of PyInfra's output.
 */
export function resourceResults(owners: ReadonlyMap<string, OperationOwner>, run: PyinfraRun): ResourceResult[] {
  if (run.hosts.length === 0 && run.cancelled) {
    // PyInfra was stopped before it could write its results: any operation may have run on any
    // host, so every resource counts as possibly created in part (recorded, and destroyable).
    const error = 'cancelled before PyInfra reported what it had done';
    return uniqueOwners(owners).map((owner) => ({ ...base(owner, ANY_HOST), status: 'failed', error, executed: true }));
  }
  if (run.hosts.length === 0) {
    return uniqueOwners(owners).map((owner) => ({ ...base(owner, '(all hosts)'), status: 'failed', error: pyinfraFailure(run), executed: false }));
  }
  const results: ResourceResult[] = [];
  for (const host of run.hosts) {
    const byOwner = new Map<OperationOwner, OperationRecord[]>();
    for (const operation of host.operations) {
      const owner = operation.names.map((name) => owners.get(name)).find((found) => found !== undefined);
      if (owner) byOwner.set(owner, [...(byOwner.get(owner) ?? []), operation]);
    }
    for (const [owner, operations] of byOwner) results.push(combine(owner, host.host, operations, run));
  }
  return results;
}

function combine(owner: OperationOwner, host: string, operations: OperationRecord[], run: PyinfraRun): ResourceResult {
  const executed = operations.some((operation) => operation.executed);
  const failedOp = operations.find((operation) => operation.executed && operation.success === false);
  if (failedOp) return { ...base(owner, host), status: 'failed', error: operationFailure(failedOp), executed };
  const notRun = operations.find((operation) => !operation.executed);
  if (notRun) {
    const logged = loggedLines(notRun).join('\n');
    const stopped = pyinfraStopReason(run);
    const why = logged || stopped;
    const stoppedHere = notRun.interrupted ? 'PyInfra stopped on this host while running it' : 'did not run: PyInfra stopped on this host before reaching it';
    const error = run.cancelled ? 'cancelled before it finished' : `${stoppedHere}${why ? `: ${why}` : ''}`;
    return { ...base(owner, host), status: 'failed', error, executed };
  }
  return { ...base(owner, host), status: operations.some((operation) => operation.changed) ? 'changed' : 'unchanged', executed };
}

function base(owner: OperationOwner, host: string): Pick<ResourceResult, 'resource' | 'kind' | 'identity' | 'host' | 'action'> {
  return { resource: owner.name, kind: owner.kind, identity: owner.identity, host, action: owner.action };
}

function uniqueOwners(owners: ReadonlyMap<string, OperationOwner>): OperationOwner[] {
  return [...new Set(owners.values())];
}

/**
 * PyInfra's own words for why an operation failed: its stderr, what it logged while the
 * operation ran (the only trace of a failed upload, timeout or connection error), else its stdout.
 */
export function operationFailure(operation: OperationRecord): string {
  const output = new Set(
    [operation.stderr, operation.stdout].flatMap((text) => (text ?? '').split('\n').map((line) => line.trim())).filter(Boolean),
  );
  const logged = loggedLines(operation).filter((line) => !output.has(line.trim()));
  const text = [(operation.stderr ?? '').trim(), ...logged].filter(Boolean).join('\n') || (operation.stdout ?? '').trim();
  return text || 'the operation failed, and PyInfra gave no reason';
}

function loggedLines(operation: OperationRecord): string[] {
  return (operation.errors ?? []).flatMap((text) => text.split('\n')).filter((line) => line.trim() !== '');
}

/** The exception that stopped PyInfra (the last `SomeError: text` line of its output), if any. */
export function pyinfraStopReason(run: PyinfraRun): string | undefined {
  const exception = /^\s*((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)\b:?.*)$/;
  for (let index = run.outputTail.length - 1; index >= 0; index--) {
    const match = exception.exec(run.outputTail[index] ?? '');
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

/** The end of PyInfra's output, for a run that failed before recording anything. */
export function pyinfraFailure(run: PyinfraRun): string {
  const lines = run.outputTail.map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  return `PyInfra exited with code ${run.exitCode ?? 'unknown'}${lines.length > 0 ? `:\n${lines.slice(-12).join('\n')}` : ''}`;
}
