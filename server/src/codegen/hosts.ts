/**
 * What the generated programs know of hosts: the inventory (every host with its PyInfra host
 * data, paths and values only), and the part of the results helper that watches each SSH
 * connection, so a host lost during a run ends its own work without stopping the others.
 */
import type { PlainValue } from '../model/operations.js';
import { pythonLiteral, pythonString } from './python.js';

/** One host of an inventory: its name, and its PyInfra host data (none for `@local`). */
export interface InventoryEntry {
  name: string;
  data?: Record<string, PlainValue>;
}

/** The Python source of an inventory listing `hosts` (names alone, or `(name, data)` tuples). */
export function writeInventory(hosts: readonly (string | InventoryEntry)[]): string {
  const entries = hosts.map((host) => (typeof host === 'string' ? { name: host } : host));
  const hasData = entries.some((entry) => entry.data !== undefined);
  const header = hasData
    ? [
        '# The hosts Clockwork deploys to, from clockwork.ts: (name, PyInfra host data) pairs.',
        '# Connection data only (addresses, users, paths of keys and known_hosts files), never a key itself.',
        '# "@local" is this machine.',
      ]
    : [
        '# The hosts Clockwork deploys to. "@local" is this machine; declare SshHost values in',
        "# clockwork.ts (a resource's targets) to deploy over SSH, or point the PYINFRA_INVENTORY",
        '# setting at an inventory of your own.',
      ];
  if (!hasData) return [...header, `hosts = ${pythonLiteral(entries.map((entry) => entry.name))}`, ''].join('\n');
  // PyInfra reads a host with data as a (name, data) tuple; pythonLiteral writes lists, so the tuples are spelled here.
  const lines = entries.map((entry) =>
    entry.data === undefined ? `    ${pythonString(entry.name)},` : `    (${pythonString(entry.name)}, ${pythonLiteral(entry.data, '    ')}),`,
  );
  return [...header, 'hosts = [', ...lines, ']', ''].join('\n');
}

/**
 * Python for the results helper (RESULTS_MODULE in pyinfra.ts): `_connection_lost(host)`, which
 * tells an operation that starts on a host whose connection is gone, and
 * `_watch_connections(state)`, which turns a silent host into a lost connection within seconds.
 */
export const CONNECTIONS_PYTHON = `import socket

from paramiko import SSHException

_LOST = set()


def _connection_lost(host):
    client = getattr(host.connector, "client", None)
    if client is None:
        return False
    transport = client.get_transport()
    return transport is None or not transport.is_active()


def _lost_is_ssh_error(exec_command):
    # Paramiko raises EOFError when the connection dies while a command's channel opens, which
    # PyInfra does not catch (the whole run would stop): make it the SSHException PyInfra expects.
    def guarded(*args, **kwargs):
        try:
            return exec_command(*args, **kwargs)
        except EOFError as error:
            raise SSHException("connection lost") from error

    return guarded


def _watch_connections(st):
    # A host that vanishes from the network (no reset, e.g. a cable pulled) would hold the run
    # for the kernel's TCP timeout, about 15 minutes: SSH keepalives every 5 s and a 20 s TCP
    # user timeout end its connection instead, so its remaining operations are "lost" and the
    # other hosts go on.
    for host in st.inventory:
        client = getattr(host.connector, "client", None)
        transport = client.get_transport() if client is not None else None
        if transport is None:
            continue
        client.exec_command = _lost_is_ssh_error(client.exec_command)
        transport.set_keepalive(5)
        try:
            transport.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 20000)
        except (AttributeError, OSError):
            pass  # not a TCP socket (a ProxyCommand), or not Linux
`;
