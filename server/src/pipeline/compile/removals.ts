/**
 * Removal programs: what destroy (and apply, for resources clockwork.ts no longer declares)
 * runs. Dependents are removed before what they depend on, and a dependency's removal waits
 * for theirs: a group is not deleted while a user that failed to go still needs it.
 */
import * as path from 'node:path';
import type { ProgramOperation } from '../../codegen/pyinfra.js';
import { dependencyOrder } from '../../model/dependencies.js';
import type { ResourceIdentity } from '../../model/define.js';
import { ClockworkError } from '../../model/errors.js';
import type { Prior } from '../../model/operations.js';
import { resourceDefinition } from '../../model/registry.js';
import { ANY_HOST } from '../state.js';
import type { KeptRemoval, OperationOwner } from './compile.js';
import { operationName } from './names.js';

/** One resource to remove, on some hosts, with what was recorded about them. */
export interface Removal {
  kind: string;
  name: string;
  identity: ResourceIdentity;
  /** The hosts; every host when undefined (or when it holds ANY_HOST). */
  hosts: readonly string[] | undefined;
  /** The facts recorded before it was first applied (undefined when none were). */
  prior: Prior | undefined;
  /** The names of the resources it depended on. */
  dependsOn: readonly string[];
}

/** The operations that remove `removals` (given in the order they were created), and who owns each. */
export function removalProgram(removals: readonly Removal[]): {
  operations: ProgramOperation[];
  owners: Map<string, OperationOwner>;
  kept: KeptRemoval[];
} {
  const byName = new Map<string, Removal[]>();
  for (const removal of removals) byName.set(removal.name, [...(byName.get(removal.name) ?? []), removal]);
  const dependentsOf = new Map<string, string[]>();
  for (const [name, group] of byName) {
    for (const dependency of new Set(group.flatMap((removal) => removal.dependsOn))) {
      dependentsOf.set(dependency, [...(dependentsOf.get(dependency) ?? []), name]);
    }
  }
  // Created in dependency order, undone in reverse; what lies inside a folder another one
  // made goes first, declared or not, so the folder is empty when its turn comes.
  const containers = containersOf(removals);
  const names = dependencyOrder([...byName.keys()], {
    nameOf: (name) => name,
    dependenciesOf: (name) => [...(byName.get(name) ?? []).flatMap((removal) => removal.dependsOn), ...(containers.get(name) ?? [])],
  }).reverse();

  const operations: ProgramOperation[] = [];
  const owners = new Map<string, OperationOwner>();
  const kept: KeptRemoval[] = [];
  const operationsOf = new Map<string, string[]>();
  for (const name of names) {
    const after = [...new Set((dependentsOf.get(name) ?? []).flatMap((dependent) => operationsOf.get(dependent) ?? []))];
    const made: string[] = [];
    for (const removal of byName.get(name) ?? []) {
      const definition = resourceDefinition(removal.kind);
      if (!definition) throw new ClockworkError(`The state lists a ${removal.kind} "${removal.name}", a kind this Clockwork does not know`);
      // A record for any host (a run cancelled before PyInfra reported) removes on every host.
      const hosts = removal.hosts === undefined || removal.hosts.includes(ANY_HOST) ? undefined : [...new Set(removal.hosts)];
      const owner: OperationOwner = { kind: removal.kind, name: removal.name, identity: removal.identity, action: 'remove', ...(hosts ? { hosts } : {}) };
      for (const operation of definition.destroy(removal.identity, removal.prior)) {
        const opName = operationName(removal.kind, removal.name, operation.step);
        operations.push({
          name: opName,
          call: operation.call,
          args: operation.args,
          ...(hosts ? { hosts } : {}),
          ...(after.length > 0 ? { after } : {}),
          ...(operation.onlyIf ? { onlyIf: operation.onlyIf } : {}),
        });
        owners.set(opName, owner);
        made.push(opName);
      }
      const reason = definition.kept?.(removal.identity, removal.prior);
      if (reason) kept.push({ owner, hosts, reason });
    }
    operationsOf.set(name, [...new Set(made)]);
  }
  return { operations, owners, kept };
}

/** Identity types that are paths, and those that are folders other resources may lie in. */
const PATH_TYPES = new Set(['file', 'directory', 'link', 'repository']);
const FOLDER_TYPES = new Set(['directory', 'repository']);

/** For each removal whose path lies inside a folder another removal made: the names of those. */
function containersOf(removals: readonly Removal[]): Map<string, string[]> {
  const folders = new Map<string, string>();
  for (const removal of removals) if (FOLDER_TYPES.has(removal.identity.type)) folders.set(removal.identity.id, removal.name);
  const containers = new Map<string, string[]>();
  if (folders.size === 0) return containers;
  for (const removal of removals) {
    if (!PATH_TYPES.has(removal.identity.type)) continue;
    for (let folder = path.dirname(removal.identity.id); folder !== path.dirname(folder); folder = path.dirname(folder)) {
      const name = folders.get(folder);
      if (name !== undefined && name !== removal.name) containers.set(removal.name, [...(containers.get(removal.name) ?? []), name]);
    }
  }
  return containers;
}
