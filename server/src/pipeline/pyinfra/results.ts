/** Per-resource, per-host results from the per-operation records of a PyInfra run. */
import { keptReasons } from '../../codegen/scripts.js';
import type { ResourceIdentity } from '../../model/define.js';
import type { Prior } from '../../model/operations.js';
import { ANY_HOST } from '../state.js';
import { priorKey, type KeptRemoval, type OperationOwner } from '../compile/compile.js';
import type { InventoryEntry } from '../../codegen/pyinfra.js';
import { connectFaults, lostFault } from './hostFaults.js';
import type { OperationRecord, PyinfraRun } from './run.js';

/**
 * What happened to a resource on a host. `skipped`: it did not run because a resource it
 * depends on failed or was skipped (for a removal: because one that depends on it was not
 * removed); `error` says which.
 */
export type ResourceStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';

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
  /** PyInfra's error text when failed; why it did not run when skipped. */
  error?: string;
  /** What a removal deliberately left in place, and why (e.g. "kept /srv/www: it holds files Clockwork did not make"). */
  note?: string;
  /** True when at least one of its operations ran (something on the host may have changed). */
  executed: boolean;
  /** What the plan said apply would do to it (create, change, unchanged), for reports in the plan's words. */
  planned?: 'create' | 'change' | 'unchanged';
  /** For a deploy: what the host held before it (the kind's prior facts), when gathered. */
  prior?: Prior;
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
  /** Removals that deliberately left the resource in place (their note says why). */
  kept: number;
  failed: number;
  /** Not run because a resource it depends on failed (or, removing, one that depends on it). */
  skipped: number;
}

/** A removal that deliberately left the resource in place (its note says why). */
export function isKept(result: ResourceResult): boolean {
  return result.action === 'remove' && result.status === 'unchanged' && result.note !== undefined;
}

/** Counts results (one per resource and host). */
export function countResults(results: readonly ResourceResult[]): ResourceCounts {
  const count = (predicate: (result: ResourceResult) => boolean): number => results.filter(predicate).length;
  return {
    created: count((result) => result.action === 'deploy' && result.status === 'changed' && result.planned === 'create'),
    changed: count((result) => result.action === 'deploy' && result.status === 'changed' && result.planned !== 'create'),
    unchanged: count((result) => result.action === 'deploy' && result.status === 'unchanged'),
    removed: count((result) => result.action === 'remove' && (result.status === 'changed' || result.status === 'unchanged') && !isKept(result)),
    kept: count(isKept),
    failed: count((result) => result.status === 'failed'),
    skipped: count((result) => result.status === 'skipped'),
  };
}

/** The hosts of a run, for results on hosts PyInfra could not reach (see pipeline/hosts.ts). */
export interface RunHosts {
  /** The generated inventory (connection data for messages); undefined with the user's own. */
  inventory?: readonly InventoryEntry[] | undefined;
  /** The hosts the run was for (an owner without hosts of its own goes to each). */
  hosts?: readonly string[] | undefined;
}

/**
 * Combines operation records by owner: failed if any operation failed or did not run,
 * skipped if it waited for a dependency that failed, changed if any changed, unchanged
 * otherwise. A host PyInfra could not connect to fails every resource meant for it, with the
 * cause (see hostFaults.ts); the other hosts' results stand. A run that produced no records at
 * all and names no host (PyInfra stopped before running anything) fails every resource with
 * the end of PyInfra's output. `kept` adds what removals keep.
 */
export function resourceResults(
  owners: ReadonlyMap<string, OperationOwner>,
  run: PyinfraRun,
  kept: readonly KeptRemoval[] = [],
  where: RunHosts = {},
): ResourceResult[] {
  if (run.hosts.length === 0 && run.cancelled) {
    // PyInfra was stopped before it could write its results: any operation may have run on any
    // of its hosts, so every resource counts as possibly created in part (recorded, and destroyable).
    const error = 'cancelled before PyInfra reported what it had done';
    return uniqueOwners(owners).flatMap((owner) => (owner.hosts ?? [ANY_HOST]).map((host) => ({ ...base(owner, host), status: 'failed' as const, error, executed: true })));
  }
  const everyHost = where.hosts ?? where.inventory?.map((entry) => entry.name) ?? run.hosts.map((host) => host.host);
  const targeted = new Set(uniqueOwners(owners).flatMap((owner) => owner.hosts ?? everyHost));
  const faults = connectFaults(run, where.inventory, targeted);
  if (run.hosts.length === 0 && faults.size === 0) {
    return uniqueOwners(owners).map((owner) => ({ ...base(owner, '(all hosts)'), status: 'failed', error: pyinfraFailure(run), executed: false }));
  }
  const results: ResourceResult[] = [];
  for (const host of run.hosts) {
    if (faults.has(host.host)) continue;
    const byOwner = new Map<string, { owner: OperationOwner; operations: OperationRecord[] }>();
    for (const operation of host.operations) {
      const owner = operation.names.map((name) => owners.get(name)).find((found) => found !== undefined);
      if (!owner) continue;
      const entry = byOwner.get(ownerKey(owner)) ?? { owner, operations: [] };
      entry.operations.push(operation);
      byOwner.set(ownerKey(owner), entry);
    }
    const hostResults = new Map<string, ResourceResult>();
    const lost = host.operations.some((operation) => operation.lost);
    for (const [key, { owner, operations }] of byOwner) {
      const result = combine(owner, host.host, operations, run, lost, (waitedFor) => skipReason(owner, waitedFor, owners, host.operations));
      const prior = owner.action === 'deploy' ? host.prior?.[priorKey(owner.kind, owner.name)] : undefined;
      hostResults.set(key, prior ? { ...result, prior } : result);
    }
    for (const removal of kept) {
      if (removal.hosts && !removal.hosts.includes(host.host)) continue;
      const key = ownerKey(removal.owner);
      const existing = hostResults.get(key);
      const result = existing ?? { ...base(removal.owner, host.host), status: 'unchanged' as const, executed: false };
      hostResults.set(key, { ...result, note: joinNotes(result.note, removal.reason) });
    }
    results.push(...hostResults.values());
  }
  for (const [host, error] of faults) {
    for (const owner of uniqueOwners(owners)) {
      if ((owner.hosts ?? everyHost).includes(host)) results.push({ ...base(owner, host), status: 'failed', error, executed: false });
    }
  }
  // In program order (removals, then resources in dependency order), each on its hosts in name order.
  const order = new Map(uniqueOwners(owners).map((owner, index) => [ownerKey(owner), index]));
  const position = (result: ResourceResult): number => order.get(ownerKey({ ...result, name: result.resource })) ?? 0;
  return results.sort((a, b) => position(a) - position(b) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

function ownerKey(owner: Pick<OperationOwner, 'action' | 'kind' | 'name' | 'identity'>): string {
  return `${owner.action}\0${owner.kind}\0${owner.name}\0${owner.identity.type}\0${owner.identity.id}`;
}

function joinNotes(first: string | undefined, second: string): string {
  return first ? `${first}; ${second}` : second;
}

function combine(
  owner: OperationOwner,
  host: string,
  operations: OperationRecord[],
  run: PyinfraRun,
  lost: boolean,
  explainSkip: (waitedFor: string) => string,
): ResourceResult {
  // Skipped operations, ones PyInfra refused before running anything, and ones that could not
  // start (the host's connection was gone) changed nothing.
  const executed = operations.some((operation) => operation.executed && !operation.skipped_after && !operation.untouched && !operation.lost);
  const failedOp = operations.find((operation) => operation.executed && operation.success === false);
  if (failedOp) {
    // Running when the connection went: it may be done in part.
    const quiet = !(failedOp.stderr ?? '').trim() && !(failedOp.stdout ?? '').trim();
    return { ...base(owner, host), status: 'failed', error: lost && quiet ? lostFault(host, true) : operationFailure(failedOp), executed };
  }
  if (operations.some((operation) => operation.lost)) return { ...base(owner, host), status: 'failed', error: lostFault(host), executed };
  const notRun = operations.find((operation) => !operation.executed);
  if (notRun) {
    const logged = loggedLines(notRun).join('\n');
    const stopped = pyinfraStopReason(run);
    const why = logged || stopped;
    const stoppedHere = notRun.interrupted ? 'PyInfra stopped on this host while running it' : 'did not run: PyInfra stopped on this host before reaching it';
    const error = run.cancelled ? 'cancelled before it finished' : `${stoppedHere}${why ? `: ${why}` : ''}`;
    return { ...base(owner, host), status: 'failed', error, executed };
  }
  const skipped = operations.find((operation) => operation.skipped_after !== undefined);
  if (skipped?.skipped_after !== undefined) {
    return { ...base(owner, host), status: 'skipped', error: explainSkip(skipped.skipped_after), executed };
  }
  const reasons = operations.flatMap((operation) => keptReasons(operation.stdout));
  // A script that chose to keep what it would remove changed nothing, whatever PyInfra counts.
  const changed = operations.some((operation) => operation.changed && keptReasons(operation.stdout).length === 0);
  return {
    ...base(owner, host),
    status: changed ? 'changed' : 'unchanged',
    executed,
    ...(reasons.length > 0 ? { note: reasons.join('; ') } : {}),
  };
}

/** Why an operation was skipped: the resource it waited for, by the name of that one's operation. */
function skipReason(
  owner: OperationOwner,
  waitedFor: string,
  owners: ReadonlyMap<string, OperationOwner>,
  hostOperations: readonly OperationRecord[],
): string {
  const other = owners.get(waitedFor);
  const what = other ? `${other.kind} ${JSON.stringify(other.name)}` : JSON.stringify(waitedFor);
  const record = hostOperations.find((operation) => operation.names.includes(waitedFor));
  const outcome = record?.skipped_after !== undefined ? 'was not run' : 'failed';
  return owner.action === 'deploy'
    ? `not run: it depends on ${what}, which ${outcome}`
    : `not removed: ${what}, which depends on it, ${outcome === 'failed' ? 'could not be removed' : 'was not removed'}`;
}

function base(owner: OperationOwner, host: string): Pick<ResourceResult, 'resource' | 'kind' | 'identity' | 'host' | 'action'> {
  return { resource: owner.name, kind: owner.kind, identity: owner.identity, host, action: owner.action };
}

function uniqueOwners(owners: ReadonlyMap<string, OperationOwner>): OperationOwner[] {
  const unique = new Map<string, OperationOwner>();
  for (const owner of owners.values()) unique.set(ownerKey(owner), owner);
  return [...unique.values()];
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
