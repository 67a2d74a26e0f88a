/**
 * Folders Clockwork created: apply records each folder a `files.directory` operation created
 * (PyInfra reports it as a change), per host, and destroy (or an apply that removes
 * resources) removes the recorded folders that are left empty, deepest first. A folder that
 * existed before, or still holds something, stays.
 */
import type { ProgramOperation } from '../codegen/pyinfra.js';
import { folderCreatedBy, shellCommands } from '../model/operations.js';
import type { PyinfraRun } from './pyinfra/run.js';
import type { CreatedFolder } from './state.js';

/** What a folder-removal operation prints when it removed the folder. */
const REMOVED = 'clockwork-folder-removed';

/** The folder each folder-creating operation makes, by operation name. */
export function folderOperations(operations: readonly ProgramOperation[]): Map<string, string> {
  const folders = new Map<string, string>();
  for (const operation of operations) {
    const folder = folderCreatedBy(operation);
    if (folder !== undefined) folders.set(operation.name, folder);
  }
  return folders;
}

/** The folders a run created: its folder operations that reported a change. */
export function createdFolders(folderOps: ReadonlyMap<string, string>, run: PyinfraRun): CreatedFolder[] {
  const created: CreatedFolder[] = [];
  for (const host of run.hosts) {
    for (const operation of host.operations) {
      if (!operation.executed || operation.success === false || !operation.changed) continue;
      const folder = operation.names.map((name) => folderOps.get(name)).find((found) => found !== undefined);
      if (folder) created.push({ host: host.host, path: folder });
    }
  }
  return created;
}

/** `folders` plus `more`, each host and path once, in the order they were created. */
export function mergeFolders(folders: readonly CreatedFolder[], more: readonly CreatedFolder[]): CreatedFolder[] {
  const seen = new Set<string>();
  return [...folders, ...more].filter((folder) => {
    const key = `${folder.host}\0${folder.path}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

function operationName(folder: string): string {
  return `Clockwork folder ${folder}: remove if empty`;
}

/** Operations that remove each recorded folder if it is empty (deepest first), on the hosts that recorded it. */
export function removeEmptyFolders(folders: readonly CreatedFolder[]): ProgramOperation[] {
  const hosts = new Map<string, string[]>();
  for (const folder of folders) hosts.set(folder.path, [...(hosts.get(folder.path) ?? []), folder.host]);
  const deepestFirst = [...hosts.keys()].sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
  return deepestFirst.map((folder) => ({
    name: operationName(folder),
    call: 'server.shell',
    // rmdir removes only an empty folder; the folder's path reaches sh as a quoted argument.
    args: { commands: shellCommands([['sh', '-c', `rmdir -- "$1" 2>/dev/null && echo ${REMOVED} || true`, 'sh', folder]]) },
    hosts: [...new Set(hosts.get(folder) ?? [])],
  }));
}

/** The recorded folders a run did not remove (they still hold something, or the run did not reach them). */
export function remainingFolders(folders: readonly CreatedFolder[], run: PyinfraRun): CreatedFolder[] {
  const removed = new Set<string>();
  for (const host of run.hosts) {
    for (const operation of host.operations) {
      if (!operation.executed || !(operation.stdout ?? '').includes(REMOVED)) continue;
      for (const folder of folders) if (operation.names.includes(operationName(folder.path))) removed.add(`${host.host}\0${folder.path}`);
    }
  }
  return folders.filter((folder) => !removed.has(`${folder.host}\0${folder.path}`));
}
