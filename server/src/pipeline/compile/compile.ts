/**
 * Compiles resources to PyInfra programs in the output folder: `deploy.py` (create and
 * update what clockwork.ts declares, remove what it no longer does), `destroy.py` (undo
 * it), `inventory.py`, and the results helper they import.
 *
 * Dependencies (`dependsOn`) order the operations: a resource's come after those of what it
 * depends on, and wait for them (`after`), so a resource whose dependency failed is skipped
 * on that host. Removals go the other way round (see removals.ts).
 */
import * as path from 'node:path';
import {
  writeInventory,
  writeProgram,
  RESULTS_MODULE,
  RESULTS_MODULE_NAME,
  type InventoryEntry,
  type ProgramOperation,
  type ProgramPrior,
} from '../../codegen/pyinfra.js';
import { dependencyOrder } from '../../model/dependencies.js';
import { LOCAL_HOST } from '../../model/host.js';
import { folderCreatedBy, literalValue, type ResourceOperation } from '../../model/operations.js';
import type { ResourceIdentity } from '../../model/define.js';
import { writeFileAtomicIfChanged } from '../atomicWrite.js';
import type { LoadedResource } from '../loader/load.js';
import { ANY_HOST, recordKey, stableHash, type StateRecord } from '../state.js';
import { identityOf, type ResourceChange } from './changes.js';
import { operationName, priorKey } from './names.js';
import { removalProgram, type Removal } from './removals.js';

export { operationName, priorKey } from './names.js';

/** Which resource an operation belongs to, whether it deploys or removes it, and where. */
export interface OperationOwner {
  kind: string;
  name: string;
  identity: ResourceIdentity;
  action: 'deploy' | 'remove';
  /** The hosts its operations run on; undefined: every host of the inventory. */
  hosts?: readonly string[];
}

/** Where each resource goes (see pipeline/hosts.ts); by default every host of the inventory. */
export interface Placement {
  hostsOf(resource: LoadedResource): string[] | undefined;
  /** Limits recorded hosts to the run's --host selection. */
  limit(hosts: readonly string[]): string[];
}

const EVERYWHERE: Placement = { hostsOf: () => undefined, limit: (hosts) => [...hosts] };

/** A resource destroy deliberately leaves (in part) in place on some hosts, and why. */
export interface KeptRemoval {
  owner: OperationOwner;
  /** The hosts it applies to; every host when undefined. */
  hosts: readonly string[] | undefined;
  reason: string;
}

/** A compiled program: its operations and who owns each (by operation name). */
export interface CompiledProgram {
  fileName: string;
  source: string;
  owners: Map<string, OperationOwner>;
  /** The operations, as data. */
  operations: readonly ProgramOperation[];
  /** What its removals keep, said in their results. */
  kept: KeptRemoval[];
}

/** What compiling for apply produces. */
export interface CompiledApply {
  deploy: CompiledProgram;
  destroy: CompiledProgram;
  /** The content hash of each declared resource, by record key. */
  contentHashes: Map<string, string>;
}

/**
 * Compiles declared resources (specs complete) and the removal of `removals` (recorded
 * resources clockwork.ts no longer declares); `afterwards` ends the deploy program (removing
 * folders the removals left empty). Each resource goes to its hosts only (`placement`), and is
 * removed from the hosts it was recorded on that it no longer targets.
 */
export function compileApply(
  resources: readonly LoadedResource[],
  records: readonly StateRecord[],
  removals: readonly ResourceChange[],
  projectDir: string,
  afterwards: readonly ProgramOperation[] = [],
  placement: Placement = EVERYWHERE,
): CompiledApply {
  const deployOps: ProgramOperation[] = [];
  const deployOwners = new Map<string, OperationOwner>();
  const contentHashes = new Map<string, string>();
  const priors: ProgramPrior[] = [];
  const folders = new Map<string, Set<string> | 'everywhere'>();

  // Removals first: a container that moved names frees its ports before the new one starts.
  const limited = (removal: Removal): Removal[] => {
    if (removal.hosts === undefined || removal.hosts.includes(ANY_HOST)) return [removal];
    const hosts = placement.limit(removal.hosts);
    return hosts.length > 0 ? [{ ...removal, hosts }] : [];
  };
  const removed = removalProgram(removals.flatMap((removal) => removalsOf(removal, records)).flatMap(limited));
  // A host a declared resource was recorded on that is no longer a target: removed from there.
  const pruned = renamed(removalProgram(resources.flatMap((resource) => leftHosts(resource, records, projectDir, placement)).flatMap(limited)), ' (no longer a target)');
  for (const part of [removed, pruned]) {
    deployOps.push(...part.operations);
    for (const [name, owner] of part.owners) deployOwners.set(name, owner);
  }

  const ordered = dependencyOrder(resources, { nameOf: (resource) => resource.name, dependenciesOf: (resource) => resource.dependsOn });
  const operationsOf = new Map<string, string[]>();
  for (const resource of ordered) {
    const identity = identityOf(resource, projectDir);
    const key = recordKey({ kind: resource.kind, name: resource.name, identity });
    const contentHash = stableHash(resource.definition.deploy(resource.spec, { projectDir, replace: false }));
    contentHashes.set(key, contentHash);
    const recorded = records.filter((record) => recordKey(record) === key);
    const hosts = placement.hostsOf(resource);
    if (hosts?.length === 0) continue;
    const replace = recorded.some((record) => record.contentHash !== contentHash || record.failed === true);
    const owner: OperationOwner = { kind: resource.kind, name: resource.name, identity, action: 'deploy', ...(hosts ? { hosts } : {}) };
    const after = resource.dependsOn.flatMap((dependency) => operationsOf.get(dependency) ?? []);
    const names: string[] = [];
    const madeFolders = new Set<string>();
    for (const deployed of resource.definition.deploy(resource.spec, { projectDir, replace })) {
      const operation = withoutFolderCheck(deployed, madeFolders);
      // A folder that holds several files is created once on each host, by the first of them
      // there (with the same conditions: one that waits for other resources does not stand in
      // for the rest), so each host records the folder apply made there.
      let onHosts = hosts;
      if (operation.call === 'files.directory') {
        const key = JSON.stringify([operation.args, after, operation.onlyIf ?? null]);
        const made = folders.get(key);
        const folder = folderCreatedBy(operation);
        if (folder !== undefined) madeFolders.add(folder);
        if (made === 'everywhere') continue;
        if (hosts === undefined) {
          folders.set(key, 'everywhere');
        } else {
          onHosts = hosts.filter((host) => !made?.has(host));
          if (onHosts.length === 0) continue;
          folders.set(key, new Set([...(made ?? []), ...onHosts]));
        }
      }
      const name = operationName(resource.kind, resource.name, operation.step);
      deployOps.push({
        name,
        call: operation.call,
        args: operation.args,
        ...(onHosts ? { hosts: onHosts } : {}),
        ...(after.length > 0 ? { after } : {}),
        ...(operation.onlyIf ? { onlyIf: operation.onlyIf } : {}),
      });
      deployOwners.set(name, owner);
      names.push(name);
    }
    operationsOf.set(resource.name, names);
    const probes = resource.definition.prior?.(resource.spec, { projectDir });
    if (probes && Object.keys(probes).length > 0) priors.push({ resource: priorKey(resource.kind, resource.name), probes });
  }
  deployOps.push(...afterwards);

  // The by-hand destroy.py: every declared resource, with the facts recorded so far (apply
  // rewrites it from the state once it has recorded this run's).
  const destroy = removalProgram(
    ordered.map((resource): Removal => {
      const identity = identityOf(resource, projectDir);
      const recorded = records.find((record) => recordKey(record) === recordKey({ kind: resource.kind, name: resource.name, identity }));
      return { kind: resource.kind, name: resource.name, identity, hosts: placement.hostsOf(resource), prior: recorded?.prior, dependsOn: resource.dependsOn };
    }),
  );
  return {
    deploy: {
      ...program('deploy.py', 'Deploys what clockwork.ts declares.', deployOps, deployOwners, priors),
      kept: removed.kept,
    },
    destroy: { ...program('destroy.py', 'Removes what deploy.py creates.', destroy.operations, destroy.owners), kept: destroy.kept },
    contentHashes,
  };
}

/** The removals of a declared resource from the hosts it is recorded on and no longer targets. */
function leftHosts(resource: LoadedResource, records: readonly StateRecord[], projectDir: string, placement: Placement): Removal[] {
  const hosts = placement.hostsOf(resource);
  if (!hosts) return [];
  const key = recordKey({ kind: resource.kind, name: resource.name, identity: identityOf(resource, projectDir) });
  return removalGroups(records.filter((record) => recordKey(record) === key && record.host !== ANY_HOST && !hosts.includes(record.host)));
}

/** A removal program whose operations are named apart from the deploy operations of the same resources. */
function renamed(part: ReturnType<typeof removalProgram>, suffix: string): ReturnType<typeof removalProgram> {
  const rename = (name: string): string => name + suffix;
  return {
    operations: part.operations.map((operation) => ({ ...operation, name: rename(operation.name), ...(operation.after ? { after: operation.after.map(rename) } : {}) })),
    owners: new Map([...part.owners].map(([name, owner]) => [rename(name), owner])),
    kept: part.kept,
  };
}

/** The removals of one planned removal: one per distinct set of recorded facts among its hosts. */
function removalsOf(removal: ResourceChange, records: readonly StateRecord[]): Removal[] {
  const key = recordKey(removal);
  return removalGroups(records.filter((record) => recordKey(record) === key && removal.hosts.includes(record.host)));
}

/** Records grouped into removals: by resource, then by the facts recorded (they decide what destroy removes). */
function removalGroups(records: readonly StateRecord[]): Removal[] {
  const groups = new Map<string, StateRecord[]>();
  for (const record of records) {
    const key = `${recordKey(record)}\0${stableHash(record.prior ?? null)}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as StateRecord;
    return {
      kind: first.kind,
      name: first.name,
      identity: first.identity,
      hosts: group.map((record) => record.host),
      prior: first.prior,
      dependsOn: first.dependsOn ?? [],
    };
  });
}

/**
 * Compiles the removal of everything `records` lists, each from the hosts it is recorded on
 * (for `clockwork destroy`), then the `afterwards` operations (removing the folders apply
 * created, when they are left empty).
 */
export function compileDestroy(records: readonly StateRecord[], afterwards: readonly ProgramOperation[] = [], placement: Pick<Placement, 'limit'> = EVERYWHERE): CompiledProgram {
  // A record for any host (cancelled before PyInfra reported) stays "every host" under --host too.
  const removal = removalProgram(removalGroups(records).map((group) => (group.hosts?.includes(ANY_HOST) ? group : { ...group, hosts: placement.limit(group.hosts ?? []) })));
  return {
    ...program('destroy.py', 'Removes everything Clockwork recorded in .clockwork/state.json.', [...removal.operations, ...afterwards], removal.owners),
    kept: removal.kept,
  };
}

function program(
  fileName: string,
  purpose: string,
  operations: ProgramOperation[],
  owners: Map<string, OperationOwner>,
  priors: ProgramPrior[] = [],
): Omit<CompiledProgram, 'kept'> {
  return { fileName, source: writeProgram({ fileName, purpose, operations, priors }), owners, operations };
}

/**
 * Writes programs, the inventory (by default this machine alone; none with the user's own,
 * `inventory` undefined) and the results helper to `outputDir`, each atomically, leaving alone
 * those that did not change. Returns the names of the files it wrote.
 */
export function writePrograms(outputDir: string, programs: readonly CompiledProgram[], inventory: readonly InventoryEntry[] | undefined = [{ name: LOCAL_HOST }]): string[] {
  const files: [string, string][] = [
    ...(inventory ? [['inventory.py', writeInventory(inventory)] as [string, string]] : []),
    [`${RESULTS_MODULE_NAME}.py`, RESULTS_MODULE],
    ...programs.map((compiled): [string, string] => [compiled.fileName, compiled.source]),
  ];
  return files.filter(([name, content]) => writeFileAtomicIfChanged(path.join(outputDir, name), content)).map(([name]) => name);
}

/**
 * A file upload into a folder the resource's own folder operation has just made on every host
 * it runs on: PyInfra need not look for the folder again (`create_remote_dir=False` saves a
 * command, one round trip, per file and host). Compiled here, not declared by the resource,
 * so the resource's content hash, and what state says was deployed, stay the same.
 */
function withoutFolderCheck(operation: ResourceOperation, madeFolders: ReadonlySet<string>): ResourceOperation {
  if (operation.call !== 'files.put' && operation.call !== 'files.template') return operation;
  const dest = literalValue(operation.args['dest']);
  if (typeof dest !== 'string' || !madeFolders.has(path.posix.dirname(dest))) return operation;
  return { ...operation, args: { ...operation.args, create_remote_dir: { literal: false } } };
}
