/**
 * Where each resource goes, and the inventory that reaches it: the hosts clockwork.ts declares
 * (a resource's `targets`; without them, this machine), the hosts the state records (so a host
 * that left clockwork.ts can still be cleaned up), or the user's own PYINFRA_INVENTORY.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { InventoryEntry } from '../codegen/pyinfra.js';
import { ClockworkError } from '../model/errors.js';
import { LOCAL_HOST } from '../model/host.js';
import type { LoadedProject, LoadedResource } from './loader/load.js';
import type { Settings } from './settings.js';
import type { RecordedHost } from './state.js';

/** A `--host` names no host of the run. Exit code 2, as for any bad input. */
export class UnknownHostError extends ClockworkError {
  override name = 'UnknownHostError';
}

/** How the hosts of a run are reached and which of them it touches. */
export interface HostPlan {
  /** The generated inventory's hosts; undefined with the user's own inventory (its hosts are not known here). */
  inventory: InventoryEntry[] | undefined;
  /** The hosts a resource goes to; undefined: every host of the inventory. Limited to `only`. */
  hostsOf(resource: Pick<LoadedResource, 'targets'>): string[] | undefined;
  /** Limits recorded hosts (of a removal) to `only`. */
  limit(hosts: readonly string[]): string[];
  /** The hosts named with --host, if any (PyInfra's --limit). */
  only: readonly string[] | undefined;
}

/** Options of `hostPlan`. */
export interface HostPlanOptions {
  /** Hosts the state records, with their connection data (hosts that left clockwork.ts are reached with these). */
  recorded?: readonly InventoryEntry[];
  /** Host names the state records resources on (each needs an inventory entry). */
  recordedNames?: readonly string[];
  /** Only these hosts (--host NAME). */
  only?: readonly string[] | undefined;
  homeDir?: string;
}

/**
 * The hosts of a run. Throws when clockwork.ts declares hosts and PYINFRA_INVENTORY names an
 * inventory too (one or the other), or when `only` names a host the run does not know.
 */
export function hostPlan(project: Pick<LoadedProject, 'hosts' | 'resources' | 'projectDir'> | undefined, settings: Settings, options: HostPlanOptions = {}): HostPlan {
  const declared = project?.hosts ?? [];
  if (settings.inventory !== undefined && declared.length > 0) {
    throw new ClockworkError(
      `clockwork.ts declares hosts (${declared.map((host) => host.name).join(', ')}) and PYINFRA_INVENTORY names an inventory of your own (${settings.inventory}): use one or the other. Unset PYINFRA_INVENTORY to deploy to the hosts of clockwork.ts.`,
    );
  }
  const only = options.only && options.only.length > 0 ? [...new Set(options.only)] : undefined;
  const limit = (hosts: readonly string[]): string[] => (only ? hosts.filter((host) => only.includes(host)) : [...hosts]);
  if (settings.inventory !== undefined) {
    return { inventory: undefined, hostsOf: () => (only ? [...only] : undefined), limit, only };
  }
  const context = { projectDir: project?.projectDir ?? settings.projectDir, homeDir: options.homeDir ?? os.homedir() };
  const entries = new Map<string, InventoryEntry>();
  const recordedNames = options.recordedNames ?? [];
  const local = project
    ? declared.length === 0 || project.resources.some((resource) => (resource.targets ?? []).length === 0)
    : recordedNames.length === 0 || recordedNames.some((name) => name === LOCAL_HOST || name === '*');
  if (local) entries.set(LOCAL_HOST, { name: LOCAL_HOST });
  for (const host of declared) entries.set(host.name, { name: host.name, data: host.definition.inventoryData(host.spec, context) });
  for (const host of options.recorded ?? []) if (!entries.has(host.name)) entries.set(host.name, host);
  for (const name of recordedNames) {
    // '*' (a run cancelled before PyInfra reported) means every host: it needs no entry of its own.
    if (!entries.has(name) && name !== '*') entries.set(name, name === LOCAL_HOST ? { name } : { name, data: {} });
  }
  if (only) {
    const unknown = only.filter((name) => !entries.has(name));
    if (unknown.length > 0) {
      throw new UnknownHostError(
        `--host ${unknown.map((name) => JSON.stringify(name)).join(', ')}: no such host (the hosts are ${[...entries.keys()].map((name) => JSON.stringify(name)).join(', ')})`,
      );
    }
  }
  const onlyLocal = declared.length === 0;
  return {
    inventory: [...entries.values()],
    hostsOf: (resource) => {
      const targets = (resource.targets ?? []).length > 0 ? (resource.targets as string[]) : onlyLocal && !only ? undefined : [LOCAL_HOST];
      return targets && limit(targets);
    },
    limit,
    only,
  };
}

/** The inventory entries of the hosts in `names` (for the state), those with connection data. */
export function entriesFor(inventory: readonly InventoryEntry[] | undefined, names: Iterable<string>): RecordedHost[] {
  const wanted = new Set(names);
  return (inventory ?? []).flatMap((entry) => (wanted.has(entry.name) && entry.data && Object.keys(entry.data).length > 0 ? [{ name: entry.name, data: entry.data }] : []));
}

/**
 * The hosts PyInfra should connect to for operations that run on `hosts` each (undefined: every
 * host): undefined when that is the whole inventory, so hosts no operation needs (an unreachable
 * one exported but untargeted) never fail a run.
 */
export function runLimit(plan: HostPlan, hosts: Iterable<readonly string[] | undefined>): string[] | undefined {
  if (plan.only) return [...plan.only];
  const needed = new Set<string>();
  for (const list of hosts) {
    if (list === undefined) return undefined;
    for (const host of list) needed.add(host);
  }
  const all = plan.inventory?.map((entry) => entry.name);
  if (!all || needed.size === 0 || all.every((name) => needed.has(name))) return undefined;
  return all.filter((name) => needed.has(name));
}

/** A key file PyInfra could not use. Exit code 2: the user must fix clockwork.ts or the file. */
export class KeyFileError extends ClockworkError {
  override name = 'KeyFileError';
}

/**
 * Checks each host's key file before PyInfra runs: PyInfra stops the whole run on a missing key
 * and would ask for a passphrase on a terminal the editor does not have. The key is read only to
 * see whether it is encrypted; nothing of it is kept or shown.
 */
export function checkKeyFiles(inventory: readonly InventoryEntry[] | undefined): void {
  for (const entry of inventory ?? []) {
    const keyFile = entry.data?.['ssh_key'];
    if (typeof keyFile !== 'string') continue;
    let text: string;
    try {
      text = fs.readFileSync(keyFile, 'latin1');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable' : code === 'EISDIR' ? 'a folder, not a key' : (error as Error).message;
      throw new KeyFileError(`host ${entry.name}: keyFile ${keyFile}: ${why}`);
    }
    if (isEncryptedKey(text)) {
      throw new KeyFileError(
        `host ${entry.name}: keyFile ${keyFile} is protected by a passphrase, which Clockwork cannot type: load it into your SSH agent (ssh-add ${keyFile}) and leave keyFile out, so the agent's key is used`,
      );
    }
  }
}

function isEncryptedKey(text: string): boolean {
  if (/^Proc-Type:\s*4,ENCRYPTED/m.test(text) || text.includes('BEGIN ENCRYPTED PRIVATE KEY')) return true;
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text)?.[1];
  if (!body) return false;
  // openssh-key-v1\0, then the cipher name as a length-prefixed string: "none" when not encrypted.
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0'.length;
  if (bytes.length < magic + 4) return false;
  const length = bytes.readUInt32BE(magic);
  return bytes.subarray(magic + 4, magic + 4 + length).toString('latin1') !== 'none';
}
