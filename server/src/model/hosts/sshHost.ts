import * as path from 'node:path';
import { z } from 'zod';
import { describeValue } from '../errors.js';
import { port, text } from '../fields.js';
import { defineHost } from '../host.js';
import type { PlainValue } from '../operations.js';

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;
const ADDRESS = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[?[0-9A-Fa-f:.]+\]?)$/;
const DATA_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PyInfra host data Clockwork sets from SshHost's own fields, or that would put a secret in inventory.py. */
const RESERVED_DATA = new Map<string, string>([
  ['ssh_hostname', 'address'],
  ['ssh_port', 'port'],
  ['ssh_user', 'user'],
  ['ssh_key', 'keyFile'],
  ['ssh_known_hosts_file', 'knownHostsFile'],
  ['ssh_strict_host_key_checking', 'hostKeys'],
]);
const SECRET_DATA = new Set(['ssh_password', 'ssh_key_password', 'ssh_paramiko_connect_kwargs']);

const path_ = (what: string) =>
  text(what).refine((value) => !value.includes('\0'), { error: `expected ${what} without NUL characters` });

/** A string matching `pattern`, with one message for an empty one and one for any other mismatch. */
const matching = (pattern: RegExp, what: string, expected: string) =>
  z.string({ error: (issue) => `expected ${what} (a string), got ${describeValue(issue.input)}` }).regex(pattern, {
    error: (issue) => (issue.input === '' ? `expected ${what}, got an empty string` : `expected ${expected}, got ${describeValue(issue.input)}`),
  });

const schema = z.strictObject({
  name: matching(HOST_NAME, 'a host name', 'a host name of letters, digits, "_", "." and "-" (not starting with "." or "-")').describe('The host\'s name in Clockwork: in targets\' results, `--host NAME`, the Testing panel and PyInfra\'s inventory. Unique among the hosts of this file.'),
  address: matching(ADDRESS, 'an address', 'a DNS name or IP address').describe('The DNS name or IP address sshd answers on, e.g. "203.0.113.10" or "web1.example.com".'),
  port: port().default(22).describe('The port sshd listens on.'),
  user: z
    .string()
    .regex(ACCOUNT_NAME, { error: (issue) => `expected a user name, got ${describeValue(issue.input)}` })
    .optional()
    .describe('The user to log in as; by default your own user name (or the User of ~/.ssh/config).'),
  keyFile: path_('a key file path')
    .optional()
    .describe(
      'The private key to log in with, as a path ("~" is your home folder; relative paths resolve against the folder of clockwork.ts). Only the path is used: the key never enters a generated file, a log or the state. Without it, your SSH agent and default keys are tried.',
    ),
  knownHostsFile: path_('a known_hosts path')
    .optional()
    .describe('The known_hosts file that holds this host\'s key; by default ~/.ssh/known_hosts.'),
  hostKeys: z
    .enum(['strict', 'accept-new'])
    .default('strict')
    .describe(
      'strict: refuse a host whose key is not in the known_hosts file, or has changed. accept-new: add an unknown host\'s key to the known_hosts file on first connection (a changed key is still refused).',
    ),
  data: z
    .record(z.string(), z.json())
    .superRefine((data, context) => {
      for (const key of Object.keys(data)) {
        const field = RESERVED_DATA.get(key);
        let message: string | undefined;
        if (field) message = `set ${key} with SshHost's own field ${field}, not in data`;
        else if (SECRET_DATA.has(key)) message = `${key} would put a secret into the generated inventory.py: log in with keyFile (or your SSH agent) instead`;
        else if (!DATA_KEY.test(key)) message = `expected a data key that is a Python identifier, got ${describeValue(key)}`;
        if (message) context.addIssue({ code: 'custom', path: [key], message });
      }
    })
    .optional()
    .describe('Extra PyInfra host data (host.data.<key> in PyInfra code), e.g. { role: "web" } or { _sudo: true }.'),
});

/** A path from the spec as PyInfra gets it: "~" expanded, relative paths resolved against the project. */
function resolvePath(file: string, context: { projectDir: string; homeDir: string }): string {
  if (file === '~') return context.homeDir;
  if (file.startsWith('~/')) return path.join(context.homeDir, file.slice(2));
  return path.resolve(context.projectDir, file);
}

/** A machine reached over SSH: PyInfra connects to it with its address, user, key and known_hosts. */
export const SshHost = defineHost({
  kind: 'SshHost',
  summary:
    'A machine Clockwork deploys to over SSH. List it in a resource\'s targets; PyInfra connects with its address, port, user, key file and known_hosts, and refuses an unknown or changed host key unless hostKeys says otherwise.',
  example: `new SshHost({
  name: "web1",
  address: "203.0.113.10",
  user: "deploy",
  keyFile: "~/.ssh/id_ed25519",
})`,
  schema,
  hostName: (spec) => spec.name,
  inventoryData: (spec, context) => {
    const data: Record<string, PlainValue> = { ...((spec.data ?? {}) as Record<string, PlainValue>) };
    data['ssh_hostname'] = spec.address.replace(/^\[(.*)\]$/, '$1');
    data['ssh_port'] = spec.port;
    if (spec.user !== undefined) data['ssh_user'] = spec.user;
    if (spec.keyFile !== undefined) data['ssh_key'] = resolvePath(spec.keyFile, context);
    if (spec.knownHostsFile !== undefined) data['ssh_known_hosts_file'] = resolvePath(spec.knownHostsFile, context);
    data['ssh_strict_host_key_checking'] = spec.hostKeys === 'strict' ? 'yes' : 'accept-new';
    return data;
  },
  label: (spec) => `${spec.user !== undefined ? `${spec.user}@` : ''}${spec.address}${spec.port === 22 ? '' : `:${spec.port}`}`,
});

/** An SshHost object. */
export type SshHost = InstanceType<typeof SshHost>;
