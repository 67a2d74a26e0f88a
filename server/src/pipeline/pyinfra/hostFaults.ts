/**
 * Why a host did not do its part of a run, in words that name the host, say the cause and what
 * to do: it could not be reached, refused the login, presented an unknown or changed host key,
 * or was lost during the run. Whether a host failed comes from the results records (data); the
 * cause of a failed connection only PyInfra's line about the host tells (`[web2] Could not …`).
 */
import type { InventoryEntry } from '../../codegen/pyinfra.js';
import type { PyinfraRun } from './run.js';

/** How a host is reached, from its inventory data (absent for the user's own inventory). */
interface Connection {
  address: string | undefined;
  port: number;
  user: string | undefined;
  keyFile: string | undefined;
  knownHostsFile: string;
  strict: boolean;
}

function connectionOf(entry: InventoryEntry | undefined): Connection | undefined {
  const data = entry?.data;
  if (!data || typeof data['ssh_hostname'] !== 'string') return undefined;
  const text = (key: string): string | undefined => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  return {
    address: text('ssh_hostname'),
    port: typeof data['ssh_port'] === 'number' ? data['ssh_port'] : 22,
    user: text('ssh_user'),
    keyFile: text('ssh_key'),
    knownHostsFile: text('ssh_known_hosts_file') ?? '~/.ssh/known_hosts',
    strict: data['ssh_strict_host_key_checking'] !== 'accept-new',
  };
}

/** `web2 (deploy@203.0.113.11:2222)`, or the name alone when its connection is not known. */
function hostTitle(name: string, connection: Connection | undefined, withUser = false): string {
  if (!connection?.address) return name;
  const user = withUser && connection.user ? `${connection.user}@` : '';
  return `${name} (${user}${connection.address}:${connection.port})`;
}

/** ssh's name for a host in known_hosts: `addr`, or `[addr]:port` off port 22. */
function knownHostsName(connection: Connection): string {
  return connection.port === 22 ? `${connection.address}` : `[${connection.address}]:${connection.port}`;
}

/** PyInfra's reason, without its wrapping: `Could not connect ([Errno None] Unable to …)` → `Unable to …`. */
function reason(line: string): string {
  const inner = /\(([^()]*)\)\s*$/.exec(line)?.[1] ?? line;
  return inner.replace(/\[Errno [^\]]*\]\s*/g, '').trim();
}

/** The message for a host PyInfra could not connect to. `line` is PyInfra's line about it, if any. */
export function connectFault(name: string, entry: InventoryEntry | undefined, line: string | undefined): string {
  const connection = connectionOf(entry);
  const text = line ?? '';
  if (/host key error|does not match/i.test(text)) {
    const where = connection ? connection.knownHostsFile : 'your known_hosts file';
    const fix = connection ? ` (ssh-keygen -f ${connection.knownHostsFile} -R '${knownHostsName(connection)}')` : '';
    return `${hostTitle(name, connection)}: host key changed: the key it presented does not match the one in ${where}; it was reinstalled, or someone is intercepting the connection. If the change is expected, remove the old key${fix} and run again.`;
  }
  if (/no host key for .* found in known_hosts/i.test(text)) {
    const where = connection ? connection.knownHostsFile : 'your known_hosts file';
    const scan = connection ? ` (ssh-keyscan -p ${connection.port} ${connection.address} >> ${connection.knownHostsFile})` : '';
    return `${hostTitle(name, connection)}: unknown host key: it is not in ${where}, and hostKeys is "strict". To accept it, check it and add it to ${where}${scan}, or set hostKeys: "accept-new" on SshHost "${name}".`;
  }
  if (/authentication (error|failed)/i.test(text)) {
    const key = connection?.keyFile ? `key ${connection.keyFile}` : 'your SSH agent\'s or default keys';
    const user = connection?.user ? ` for user ${connection.user}` : '';
    return `${hostTitle(name, connection, true)}: login refused: the host did not accept ${key}${user} (${reason(text)})`;
  }
  const detail = text ? reason(text) : 'PyInfra gave no reason';
  return `${hostTitle(name, connection)}: cannot connect: ${detail}. Check the address and port, and that the host is up and sshd is running.`;
}

/**
 * The message for work on a host whose connection was lost during the run: it did not start
 * there, or (`partly`) it was running when the connection went and may be done in part.
 */
export function lostFault(name: string, partly = false): string {
  return partly
    ? `${name}: connection lost while this ran there, so it may be done in part; run apply again once the host is back`
    : `${name}: connection lost during the run, so this did not run there; run apply again once the host is back`;
}

/** The connection fault of every host that PyInfra could not connect to in `run`, by host name. */
export function connectFaults(run: PyinfraRun, inventory: readonly InventoryEntry[] | undefined, hosts: Iterable<string>): Map<string, string> {
  const entries = new Map((inventory ?? []).map((entry) => [entry.name, entry]));
  const reported = new Map(run.hosts.map((host) => [host.host, host]));
  const faults = new Map<string, string>();
  for (const name of hosts) {
    const record = reported.get(name);
    const failedToConnect = record ? record.unreachable === true : run.hosts.length > 0 || !run.cancelled;
    if (!failedToConnect) continue;
    const lines = run.hostLines.get(name) ?? [];
    const line = [...lines].reverse().find((text) => !/^(Connected|Ready|Success|No changes)\b/.test(text));
    if (!record && !line) continue;
    faults.set(name, connectFault(name, entries.get(name), line));
  }
  return faults;
}
