/**
 * Hosts without a network: SshHost's schema and inventory data, loading hosts from clockwork.ts,
 * where each resource goes, the inventory and per-host programs, per-host plans, key-file checks
 * and the wording of each connection fault (the tests on real sshd hosts are fleet*.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { writeInventory } from '../../server/src/codegen/pyinfra.js';
import { FileResource, SshHost } from '../../server/src/model/index.js';
import { planChanges } from '../../server/src/pipeline/compile/changes.js';
import { compileApply, writePrograms } from '../../server/src/pipeline/compile/compile.js';
import { checkKeyFiles, hostPlan, KeyFileError, runLimit, UnknownHostError } from '../../server/src/pipeline/hosts.js';
import { ClockworkLoadError, loadProject } from '../../server/src/pipeline/loader/load.js';
import { readRecordedResults, recordResults } from '../../server/src/pipeline/assert/resultsFile.js';
import type { AssertionResult } from '../../server/src/pipeline/assert/types.js';
import { connectFault } from '../../server/src/pipeline/pyinfra/hostFaults.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import type { StateRecord } from '../../server/src/pipeline/state.js';
import { runCli } from '../support/cli.js';
import { pyCompile } from '../support/python.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const HOSTS = `import { SshHost, FileResource } from 'clockwork';
const web1 = new SshHost({ name: 'web1', address: '203.0.113.10', user: 'deploy', keyFile: '~/.ssh/id_ed25519' });
const web2 = new SshHost({ name: 'web2', address: '203.0.113.11', user: 'deploy', keyFile: 'keys/deploy', port: 2222, hostKeys: 'accept-new', data: { role: 'web' } });
`;

describe('hosts', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('SshHost validates its fields and gives PyInfra paths, never a key', () => {
    const host = new SshHost({ name: 'web2', address: '203.0.113.11', user: 'deploy', keyFile: 'keys/deploy', port: 2222, hostKeys: 'accept-new', data: { role: 'web' } });
    assert.deepEqual(SshHost.definition.inventoryData(host.spec, { projectDir: '/project', homeDir: '/home/me' }), {
      role: 'web',
      ssh_hostname: '203.0.113.11',
      ssh_port: 2222,
      ssh_user: 'deploy',
      ssh_key: '/project/keys/deploy',
      ssh_strict_host_key_checking: 'accept-new',
    });
    const strict = new SshHost({ name: 'a', address: 'a.example.com', keyFile: '~/.ssh/id', knownHostsFile: '~/kh' });
    assert.deepEqual(SshHost.definition.inventoryData(strict.spec, { projectDir: '/p', homeDir: '/home/me' }), {
      ssh_hostname: 'a.example.com',
      ssh_port: 22,
      ssh_key: '/home/me/.ssh/id',
      ssh_known_hosts_file: '/home/me/kh',
      ssh_strict_host_key_checking: 'yes',
    });
    const problems = (input: unknown): string => {
      try {
        new SshHost(input as never);
        return '';
      } catch (error) {
        return (error as Error).message.replace(/^\S+:\d+:\d+ /, '');
      }
    };
    assert.equal(problems({ name: 'db', address: '' }), 'SshHost "db": address: expected an address, got an empty string');
    assert.equal(problems({ name: 'db', address: 'x', port: 70000 }), 'SshHost "db": port: expected a port number from 1 to 65535, got 70000');
    assert.equal(problems({ name: 'db', address: 'x', hostKeys: 'yes' }), 'SshHost "db": hostKeys: expected one of "strict", "accept-new", got "yes"');
    assert.equal(
      problems({ name: 'db', address: 'x', data: { ssh_password: 'hunter2' } }),
      'SshHost "db": data.ssh_password: ssh_password would put a secret into the generated inventory.py: log in with keyFile (or your SSH agent) instead',
    );
    assert.equal(problems({ name: 'db', address: 'x', data: { ssh_port: 2 } }), "SshHost \"db\": data.ssh_port: set ssh_port with SshHost's own field port, not in data");
    assert.equal(problems({ name: '@local', address: 'x' }), 'SshHost "@local": name: expected a host name of letters, digits, "_", "." and "-" (not starting with "." or "-"), got "@local"');
    assert.throws(() => new FileResource({ name: 'a', content: 'a', targets: ['web1'] as never }), /targets\.0: expected a host such as new SshHost\(\{\.\.\.\}\), got "web1"/);
  });

  it('loads each host once, with every resource\'s targets, and marks both declarations of a duplicate host name', async () => {
    const dir = makeProject({
      'clockwork.ts': `${HOSTS}export const spare = new SshHost({ name: 'spare', address: '203.0.113.12' });
export default [
  new FileResource({ name: 'a.txt', path: '/srv/a.txt', content: 'a', targets: [web1, web2] }),
  new FileResource({ name: 'b.txt', path: '/srv/b.txt', content: 'b', targets: [web2] }),
  new FileResource({ name: 'c.txt', content: 'c' }),
];
`,
    });
    const project = await loadProject({ target: dir });
    assert.deepEqual(project.hosts?.map((host) => host.name), ['web1', 'web2', 'spare']);
    assert.deepEqual(project.resources.map((resource) => resource.targets), [['web1', 'web2'], ['web2'], []]);

    fs.writeFileSync(path.join(dir, 'clockwork.ts'), `${HOSTS}const again = new SshHost({ name: 'web1', address: '203.0.113.99' });
export default [new FileResource({ name: 'a.txt', content: 'a', targets: [web1] }), new FileResource({ name: 'b.txt', content: 'b', targets: [again] })];
`);
    const error = await loadProject({ target: dir }).then(() => assert.fail('expected a load error'), (caught: unknown) => caught);
    assert.ok(error instanceof ClockworkLoadError);
    assert.deepEqual(
      error.problems.map((problem) => [problem.location?.line, problem.message]),
      [[2, 'SshHost "web1": name: duplicate host name (declared at line 2, line 4); host names must be unique']],
    );
  });

  it('creates a folder on every host of the files in it, so each host records the folder it got', async () => {
    const dir = makeProject({
      'clockwork.ts': `${HOSTS}export default [
  new FileResource({ name: 'a.txt', path: '/srv/shared/a.txt', content: 'a', targets: [web1] }),
  new FileResource({ name: 'b.txt', path: '/srv/shared/b.txt', content: 'b', targets: [web2] }),
  new FileResource({ name: 'c.txt', path: '/srv/shared/c.txt', content: 'c', targets: [web1, web2] }),
];
`,
    });
    const project = await loadProject({ target: dir });
    const plan = hostPlan(project, resolveSettings({ projectDir: dir, environment: {} }), { homeDir: '/home/me' });
    const compiled = compileApply(project.resources, [], [], dir, [], plan);
    const folders = compiled.deploy.operations.filter((operation) => operation.call === 'files.directory');
    // web2's folder is not left to b.txt's upload (which would make it unrecorded, and left
    // behind by destroy); a folder already made on each of c.txt's hosts is not made again.
    assert.deepEqual(
      folders.map((operation) => [operation.name, operation.hosts]),
      [
        ['FileResource a.txt: folder', ['web1']],
        ['FileResource b.txt: folder', ['web2']],
      ],
    );
  });

  it('compiles one inventory and puts each resource on its hosts only; @local for resources without targets', async () => {
    const dir = makeProject({
      'clockwork.ts': `${HOSTS}export default [
  new FileResource({ name: 'a.txt', path: '/srv/a.txt', content: 'a', targets: [web1, web2] }),
  new FileResource({ name: 'b.txt', path: '/srv/b.txt', content: 'b', targets: [web2] }),
  new FileResource({ name: 'c.txt', content: 'c' }),
];
`,
    });
    const project = await loadProject({ target: dir });
    const settings = resolveSettings({ projectDir: dir, environment: {} });
    const plan = hostPlan(project, settings, { homeDir: '/home/me' });
    assert.deepEqual(plan.inventory?.map((entry) => entry.name), ['@local', 'web1', 'web2']);
    assert.deepEqual(project.resources.map((resource) => plan.hostsOf(resource)), [['web1', 'web2'], ['web2'], ['@local']]);
    // b.txt was on web1 too: it is removed from there.
    const record = (name: string, host: string): StateRecord => ({
      kind: 'FileResource', name, identity: { type: 'file', id: `/srv/${name}` }, host, specHash: 'x', contentHash: 'x', appliedAt: '2025-01-01T00:00:00Z',
    });
    const records = [record('b.txt', 'web1'), record('b.txt', 'web2')];
    const changes = planChanges(project.resources, records, dir, plan.hostsOf);
    assert.deepEqual(changes.map((change) => [change.name, change.action, change.targets, change.leaving]), [
      ['a.txt', 'create', ['web1', 'web2'], undefined],
      ['b.txt', 'change', ['web2'], ['web1']],
      ['c.txt', 'create', ['@local'], undefined],
    ]);
    const compiled = compileApply(project.resources, records, [], dir, [], plan);
    const out = path.join(dir, 'out');
    writePrograms(out, [compiled.deploy, compiled.destroy], plan.inventory);
    const deploy = fs.readFileSync(path.join(out, 'deploy.py'), 'utf8');
    assert.match(deploy, /if host\.name in \['web1'\]:\n {4}files\.file\(\n {8}name='FileResource b\.txt: remove \(no longer a target\)'/);
    assert.match(deploy, /if host\.name in \['web1', 'web2'\]:\n {4}files\.put\(\n {8}name='FileResource a\.txt: write'/);
    assert.match(deploy, /if host\.name in \['@local'\]:\n {4}files\.put\(\n {8}name='FileResource c\.txt: write'/);
    const inventory = fs.readFileSync(path.join(out, 'inventory.py'), 'utf8');
    assert.match(inventory, /\('web2', \{'role': 'web', 'ssh_hostname': '203\.0\.113\.11', 'ssh_port': 2222, 'ssh_user': 'deploy', 'ssh_key': '[^']*\/keys\/deploy', 'ssh_strict_host_key_checking': 'accept-new'\}\),/);
    assert.match(inventory, /'ssh_key': '\/home\/me\/\.ssh\/id_ed25519'/);
    pyCompile([path.join(out, 'inventory.py'), path.join(out, 'deploy.py'), path.join(out, 'destroy.py')]);
    const { stdout } = await execa('python3', ['-c', `exec(open(${JSON.stringify(path.join(out, 'inventory.py'))}).read()); print([h if isinstance(h, str) else h[0] for h in hosts])`]);
    assert.equal(stdout, "['@local', 'web1', 'web2']");

    // --host: only the named hosts; an unknown name lists the hosts there are.
    const only = hostPlan(project, settings, { only: ['web2'] });
    assert.deepEqual(project.resources.map((resource) => only.hostsOf(resource)), [['web2'], ['web2'], []]);
    assert.deepEqual(runLimit(only, [undefined]), ['web2']);
    assert.throws(() => hostPlan(project, settings, { only: ['web9'] }), (error: unknown) => error instanceof UnknownHostError && error.message === '--host "web9": no such host (the hosts are "@local", "web1", "web2")');
    // Connect only to hosts some operation needs.
    assert.deepEqual(runLimit(plan, [['web2']]), ['web2']);
    assert.equal(runLimit(plan, [['web1', 'web2'], ['@local']]), undefined);
  });

  it('refuses hosts in clockwork.ts together with an inventory of your own, and leaves a project without hosts as it was', async () => {
    const dir = makeProject({ 'clockwork.ts': `${HOSTS}export default [new FileResource({ name: 'a.txt', content: 'a', targets: [web1] })];\n`, 'inventory.py': 'hosts = ["@local"]\n' });
    const project = await loadProject({ target: dir });
    const own = resolveSettings({ projectDir: dir, environment: { PYINFRA_INVENTORY: 'inventory.py' } });
    assert.throws(() => hostPlan(project, own), /clockwork\.ts declares hosts \(web1\) and PYINFRA_INVENTORY names an inventory of your own \(.*inventory\.py\): use one or the other/);
    const local = { projectDir: dir, resources: [{ targets: [] }], hosts: [] } as never;
    const plain = hostPlan(local, resolveSettings({ projectDir: dir, environment: {} }));
    assert.deepEqual(plain.inventory, [{ name: '@local' }]);
    assert.equal(plain.hostsOf({ targets: [] }), undefined, 'no host filter in the programs');
    assert.equal(writeInventory(plain.inventory ?? []).includes("hosts = ['@local']"), true);
    const users = hostPlan(local, own);
    assert.equal(users.inventory, undefined, "the user's own inventory is used as it is");
  });

  it('checks key files before PyInfra runs: missing, and protected by a passphrase', async () => {
    const dir = makeProject({});
    const plain = path.join(dir, 'plain');
    const locked = path.join(dir, 'locked');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', plain]);
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a passphrase', '-f', locked]);
    const entry = (keyFile: string) => [{ name: 'web1', data: { ssh_hostname: '203.0.113.10', ssh_key: keyFile } }];
    checkKeyFiles(entry(plain));
    assert.throws(() => checkKeyFiles(entry(path.join(dir, 'nope'))), (error: unknown) => error instanceof KeyFileError && error.message === `host web1: keyFile ${path.join(dir, 'nope')}: no such file`);
    assert.throws(
      () => checkKeyFiles(entry(locked)),
      (error: unknown) => error instanceof KeyFileError && error.message.startsWith(`host web1: keyFile ${locked} is protected by a passphrase, which Clockwork cannot type: load it into your SSH agent (ssh-add ${locked})`),
    );
  });

  it('words each connection fault with the host, the cause and what to do', () => {
    const entry = { name: 'web2', data: { ssh_hostname: '203.0.113.11', ssh_port: 2222, ssh_user: 'deploy', ssh_key: '/k/id', ssh_known_hosts_file: '/k/known_hosts', ssh_strict_host_key_checking: 'yes' } };
    assert.equal(
      connectFault('web2', entry, 'Could not connect ([Errno None] Unable to connect to port 2222 on 203.0.113.11)'),
      'web2 (203.0.113.11:2222): cannot connect: Unable to connect to port 2222 on 203.0.113.11. Check the address and port, and that the host is up and sshd is running.',
    );
    assert.equal(
      connectFault('web2', entry, 'Authentication error (username=deploy, key=/k/id) (Authentication failed.)'),
      'web2 (deploy@203.0.113.11:2222): login refused: the host did not accept key /k/id for user deploy (Authentication failed.)',
    );
    assert.equal(
      connectFault('web2', entry, 'SSH error (StrictPolicy: No host key for [203.0.113.11]:2222 found in known_hosts)'),
      'web2 (203.0.113.11:2222): unknown host key: it is not in /k/known_hosts, and hostKeys is "strict". To accept it, check it and add it to /k/known_hosts (ssh-keyscan -p 2222 203.0.113.11 >> /k/known_hosts), or set hostKeys: "accept-new" on SshHost "web2".',
    );
    assert.equal(
      connectFault('web2', entry, 'SSH host key error (Host key for 203.0.113.11 does not match.)'),
      "web2 (203.0.113.11:2222): host key changed: the key it presented does not match the one in /k/known_hosts; it was reinstalled, or someone is intercepting the connection. If the change is expected, remove the old key (ssh-keygen -f /k/known_hosts -R '[203.0.113.11]:2222') and run again.",
    );
    // A host of the user's own inventory: its name alone.
    assert.equal(connectFault('db', undefined, undefined), 'db: cannot connect: PyInfra gave no reason. Check the address and port, and that the host is up and sshd is running.');
  });

  it('plans examples/fleet (documentation addresses: planned, never applied), on every host and on one', async () => {
    const all = await runCli(['plan', '--dir', 'examples/fleet']);
    assert.equal(all.exitCode, 0, all.stderr);
    assert.match(all.stdout, /\+ FileResource motd → \/etc\/motd on web1, web2, db1\n/);
    assert.match(all.stdout, /\+ FileResource site\.conf → \/srv\/www\/site\.conf on web1, web2\n/);
    assert.match(all.stdout, /Apply would create 3, change 0, leave 0 unchanged and remove 0\./);
    const json = JSON.parse((await runCli(['plan', '--dir', 'examples/fleet', '--host', 'db1', '--json'])).stdout) as { resources: { name: string; hosts?: string[] }[] };
    assert.deepEqual(json.resources.map((resource) => [resource.name, resource.hosts]), [['motd', ['db1']], ['backup.conf', ['db1']]]);
  });

  it('records each host\'s result of an assertion, and checking one host keeps the others\'', () => {
    const dir = makeProject({});
    const stateDir = path.join(dir, '.clockwork');
    const project = { projectDir: dir, file: path.join(dir, 'clockwork.ts'), resources: [{ name: 'motd', location: undefined }] } as never;
    const result = (host: string, status: AssertionResult['status']): AssertionResult => ({
      resource: 'motd', kind: 'FileResource', assertion: { kind: 'FileContentMatchesAssert', index: 1, label: '' }, host, status,
      message: status === 'passed' ? '' : 'pattern not found', expected: 'a line matching ^hello$', actual: '', durationMs: 2, isDefault: false,
    });
    recordResults(stateDir, project, [result('web1', 'passed'), result('web2', 'failed')]);
    const hostsOf = () => readRecordedResults(stateDir).files['clockwork.ts']?.resources[0]?.assertions[0];
    assert.deepEqual(hostsOf()?.hosts, [{ host: 'web1', status: 'passed' }, { host: 'web2', status: 'failed', message: 'pattern not found' }]);
    assert.equal(hostsOf()?.status, 'failed');
    recordResults(stateDir, project, [result('web2', 'passed')]);
    assert.deepEqual(hostsOf()?.hosts, [{ host: 'web1', status: 'passed' }, { host: 'web2', status: 'passed' }]);
    assert.equal(hostsOf()?.status, 'passed');
  });
});
