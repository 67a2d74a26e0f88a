/**
 * Compiles resources to PyInfra programs in the output folder: `deploy.py` (create and
 * update what clockwork.ts declares, remove what it no longer does), `destroy.py` (undo
 * it), `inventory.py`, and the results helper they import.
 */
import * as path from 'node:path';
import { writeInventory, writeProgram, RESULTS_MODULE, RESULTS_MODULE_NAME, type ProgramOperation } from '../../codegen/pyinfra.js';
import type { ResourceIdentity } from '../../model/define.js';
import { ClockworkError } from '../../model/errors.js';
import { resourceDefinition } from '../../model/registry.js';
import { writeFileAtomic } from '../atomicWrite.js';
import type { LoadedResource } from '../loader/load.js';
import { ANY_HOST, recordKey, stableHash, type StateRecord } from '../state.js';
import { identityOf, type ResourceChange } from './changes.js';

/** Which resource an operation belongs to, and whether it deploys or removes it. */
export interface OperationOwner {
  kind: string;
  name: string;
  identity: ResourceIdentity;
  action: 'deploy' | 'remove';
}

/** A compiled program: its operations and who owns each (by operation name). */
export interface CompiledProgram {
  fileName: string;
  source: string;
  owners: Map<string, OperationOwner>;
  /** The operations, as data. */
  operations: readonly ProgramOperation[];
}

/** What compiling for apply produces. */
export interface CompiledApply {
  deploy: CompiledProgram;
  destroy: CompiledProgram;
  /** The content hash of each declared resource, by record key. */
  contentHashes: Map<string, string>;
}

/**
 * The name of an operation, `"<Kind> <name>: <step>"`: it maps PyInfra's output and results back
 * to the resource (and, for assert.py, to the check). Every operation's name is built here.
 */
export function operationName(kind: string, name: string, step: string): string {
  return `${kind} ${name}: ${step}`;
}

/**
 * Compiles declared resources (specs complete) and the removal of `removals` (recorded
 * resources clockwork.ts no longer declares); `afterwards` ends the deploy program (removing
 * folders the removals left empty).
 */
export function compileApply(
  resources: readonly LoadedResource[],
  records: readonly StateRecord[],
  removals: readonly ResourceChange[],
  projectDir: string,
  afterwards: readonly ProgramOperation[] = [],
): CompiledApply {
  const deployOps: ProgramOperation[] = [];
  const destroyOps: ProgramOperation[] = [];
  const deployOwners = new Map<string, OperationOwner>();
  const destroyOwners = new Map<string, OperationOwner>();
  const contentHashes = new Map<string, string>();

  // Removals first: a container that moved names frees its ports before the new one starts.
  for (const removal of removals) {
    addRemoval(deployOps, deployOwners, removal.kind, removal.name, removal.identity, removal.hosts);
  }
  for (const resource of resources) {
    const identity = identityOf(resource, projectDir);
    const key = recordKey({ kind: resource.kind, name: resource.name, identity });
    const contentHash = stableHash(resource.definition.deploy(resource.spec, { projectDir, replace: false }));
    contentHashes.set(key, contentHash);
    const recorded = records.filter((record) => recordKey(record) === key);
    const replace = recorded.some((record) => record.contentHash !== contentHash || record.failed === true);
    const owner: OperationOwner = { kind: resource.kind, name: resource.name, identity, action: 'deploy' };
    for (const operation of resource.definition.deploy(resource.spec, { projectDir, replace })) {
      const name = operationName(resource.kind, resource.name, operation.step);
      deployOps.push({ name, call: operation.call, args: operation.args });
      deployOwners.set(name, owner);
    }
    addRemoval(destroyOps, destroyOwners, resource.kind, resource.name, identity, undefined);
  }
  deployOps.push(...afterwards);
  return {
    deploy: program('deploy.py', 'Deploys what clockwork.ts declares.', deployOps, deployOwners),
    destroy: program('destroy.py', 'Removes what deploy.py creates.', destroyOps.reverse(), destroyOwners),
    contentHashes,
  };
}

/**
 * Compiles the removal of everything `records` lists (for `clockwork destroy`), then the
 * `afterwards` operations (removing the folders apply created, when they are left empty).
 */
export function compileDestroy(records: readonly StateRecord[], afterwards: readonly ProgramOperation[] = []): CompiledProgram {
  const operations: ProgramOperation[] = [];
  const owners = new Map<string, OperationOwner>();
  const groups = new Map<string, StateRecord[]>();
  for (const record of records) groups.set(recordKey(record), [...(groups.get(recordKey(record)) ?? []), record]);
  // Undo in reverse order of creation.
  for (const group of [...groups.values()].reverse()) {
    const first = group[0] as StateRecord;
    addRemoval(operations, owners, first.kind, first.name, first.identity, group.map((record) => record.host));
  }
  operations.push(...afterwards);
  return program('destroy.py', 'Removes everything Clockwork recorded in .clockwork/state.json.', operations, owners);
}

function addRemoval(
  operations: ProgramOperation[],
  owners: Map<string, OperationOwner>,
  kind: string,
  name: string,
  identity: ResourceIdentity,
  hosts: readonly string[] | undefined,
): void {
  const definition = resourceDefinition(kind);
  if (!definition) throw new ClockworkError(`The state lists a ${kind} "${name}", a kind this Clockwork does not know`);
  const owner: OperationOwner = { kind, name, identity, action: 'remove' };
  // A record for any host (a run cancelled before PyInfra reported) removes on every host.
  if (hosts?.includes(ANY_HOST)) hosts = undefined;
  for (const operation of definition.destroy(identity)) {
    const opName = operationName(kind, name, operation.step);
    operations.push({ name: opName, call: operation.call, args: operation.args, ...(hosts ? { hosts: [...new Set(hosts)] } : {}) });
    owners.set(opName, owner);
  }
}

function program(fileName: string, purpose: string, operations: ProgramOperation[], owners: Map<string, OperationOwner>): CompiledProgram {
  return { fileName, source: writeProgram({ fileName, purpose, operations }), owners, operations };
}

/** Writes programs, the default inventory and the results helper to `outputDir`, each atomically. */
export function writePrograms(outputDir: string, programs: readonly CompiledProgram[]): void {
  writeFileAtomic(path.join(outputDir, 'inventory.py'), writeInventory(['@local']));
  writeFileAtomic(path.join(outputDir, `${RESULTS_MODULE_NAME}.py`), RESULTS_MODULE);
  for (const compiled of programs) writeFileAtomic(path.join(outputDir, compiled.fileName), compiled.source);
}
