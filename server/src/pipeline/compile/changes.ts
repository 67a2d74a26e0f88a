/** What apply would create, change, leave or remove, comparing clockwork.ts with the state. */
import type { ResourceIdentity } from '../../model/define.js';
import type { LoadedResource } from '../loader/load.js';
import { ANY_HOST, recordKey, stableHash, type StateRecord } from '../state.js';

/** What happens to one resource. */
export type ChangeAction = 'create' | 'change' | 'unchanged' | 'remove';

/** One resource's planned change. */
export interface ResourceChange {
  action: ChangeAction;
  kind: string;
  name: string;
  identity: ResourceIdentity;
  /** The hosts the state records it on (empty when never applied). */
  hosts: string[];
  /** Where it goes now (declared resources with known hosts): its targets, or this machine. */
  targets?: string[];
  /** Hosts it is recorded on and no longer targets: apply removes it from them. */
  leaving?: string[];
}

/** The hash of a resource's spec as declared (before the AI fills anything in). */
export function specHash(resource: Pick<LoadedResource, 'kind' | 'spec'>): string {
  return stableHash({ kind: resource.kind, spec: resource.spec });
}

/** The identity of a loaded resource. */
export function identityOf(resource: LoadedResource, projectDir: string): ResourceIdentity {
  return resource.definition.identity(resource.spec, { projectDir });
}

/**
 * Declared resources first, in file order (create, change or unchanged), then recorded
 * ones clockwork.ts no longer declares (remove). A resource whose identity changed (a file
 * moved) is a creation plus the removal of the old one. With `hostsOf` (see pipeline/hosts.ts),
 * a resource is unchanged only when it is recorded, as declared, on each of its hosts and no other.
 */
export function planChanges(
  resources: readonly LoadedResource[],
  records: readonly StateRecord[],
  projectDir: string,
  hostsOf: (resource: LoadedResource) => string[] | undefined = () => undefined,
): ResourceChange[] {
  const byKey = new Map<string, StateRecord[]>();
  for (const record of records) byKey.set(recordKey(record), [...(byKey.get(recordKey(record)) ?? []), record]);
  const declared = new Set<string>();
  const changes: ResourceChange[] = resources.map((resource) => {
    const identity = identityOf(resource, projectDir);
    const key = recordKey({ kind: resource.kind, name: resource.name, identity });
    declared.add(key);
    const recorded = byKey.get(key) ?? [];
    const hash = specHash(resource);
    const targets = hostsOf(resource);
    const recordedHosts = recorded.map((record) => record.host);
    const leaving = targets ? [...new Set(recordedHosts)].filter((host) => !targets.includes(host) && host !== ANY_HOST) : [];
    const onTargets = targets ? recorded.filter((record) => targets.includes(record.host) || record.host === ANY_HOST) : recorded;
    const missing = targets ? targets.filter((host) => !recordedHosts.includes(host) && !recordedHosts.includes(ANY_HOST)) : [];
    const action: ChangeAction =
      onTargets.length === 0
        ? 'create'
        : onTargets.some((record) => record.specHash !== hash || record.failed) || missing.length > 0 || leaving.length > 0
          ? 'change'
          : 'unchanged';
    return {
      action,
      kind: resource.kind,
      name: resource.name,
      identity,
      hosts: recordedHosts,
      ...(targets ? { targets } : {}),
      ...(leaving.length > 0 ? { leaving } : {}),
    };
  });
  for (const [key, recorded] of byKey) {
    if (declared.has(key)) continue;
    const first = recorded[0] as StateRecord;
    changes.push({ action: 'remove', kind: first.kind, name: first.name, identity: first.identity, hosts: recorded.map((record) => record.host) });
  }
  return changes;
}
