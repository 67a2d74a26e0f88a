/**
 * The test SSH hosts themselves (test/setup/ssh-hosts.sh): real sshd hosts that PyInfra deploys
 * to over SSH and SFTP, each with its own /srv, reachable only with the fleet's key and known_hosts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { pythonLiteral } from '../../server/src/codegen/python.js';
import { findPyinfra, skipBecause } from '../support/pyinfra.js';
import { SshFleet, useSshFleet } from '../support/sshHosts.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

describe('test SSH hosts (ssh-hosts.sh)', function () {
  this.timeout(60_000);
  const hosts = useSshFleet(3);
  after(removeProjects);

  it('gives each host its own /srv, apart from this machine and from each other', async () => {
    const { fleet } = hosts;
    assert.deepEqual(fleet.hosts.map((host) => host.name), ['host1', 'host2', 'host3']);
    assert.equal(new Set(fleet.hosts.map((host) => host.address)).size, 3);
    const marker = `fleet-${fleet.prefix}`;
    assert.equal((await fleet.ssh('host1', `echo one > /srv/${marker}`)).exitCode, 0);
    assert.equal((await fleet.ssh('host1', `cat /srv/${marker}`)).stdout, 'one');
    assert.equal((await fleet.ssh('host2', `test -e /srv/${marker}`)).exitCode, 1);
    assert.equal(fs.existsSync(`/srv/${marker}`), false);
  });

  it('lets PyInfra deploy a file to every host over SFTP and read each back', async function () {
    const pyinfra = findPyinfra();
    if (!pyinfra) {
      skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
      return;
    }
    const { fleet } = hosts;
    const got = makeProject({});
    // PyInfra reads (name, data) tuples; pythonLiteral writes lists, so the tuples are spelled here.
    const inventory = fleet.hosts.map((host) => `(${pythonLiteral(host.name)}, ${pythonLiteral({
      ssh_hostname: host.address, ssh_port: host.port, ssh_user: host.user, ssh_key: host.keyFile,
      ssh_known_hosts_file: host.knownHostsFile, ssh_strict_host_key_checking: 'yes',
    })})`);
    const dir = makeProject({
      'inventory.py': `hosts = [\n${inventory.join(',\n')},\n]\n`,
      'deploy.py': [
        'from io import StringIO',
        'from pyinfra import host',
        'from pyinfra.operations import files',
        "files.put(src=StringIO('hello from ' + host.name + '\\n'), dest='/srv/hello.txt')",
        '',
      ].join('\n'),
      'read.py': [
        'from pyinfra import host',
        'from pyinfra.operations import files',
        `files.get(src='/srv/hello.txt', dest=${pythonLiteral(got)} + '/' + host.name + '.txt')`,
        '',
      ].join('\n'),
    });
    for (const program of ['deploy.py', 'read.py']) {
      const run: { exitCode?: number; stderr: string } = await execa(pyinfra, ['-y', 'inventory.py', program], { cwd: dir, reject: false, timeout: 45_000 });
      assert.equal(run.exitCode, 0, run.stderr);
    }
    for (const host of fleet.hosts) {
      assert.equal(fs.readFileSync(path.join(got, `${host.name}.txt`), 'utf8'), `hello from ${host.name}\n`);
    }
  });

  it('refuses a client whose known_hosts does not hold the host', async () => {
    const { fleet } = hosts;
    const host = fleet.host('host1');
    const run = await execa('ssh', ['-i', host.keyFile, '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${host.user}@${host.address}`, 'true'], { reject: false, timeout: 20_000 });
    assert.equal(run.exitCode, 255);
    assert.match(run.stderr, /Host key verification failed/);
  });

  it('crashes and boots a host again (empty /srv), and runs two fleets side by side', async () => {
    const { fleet } = hosts;
    await fleet.ssh('host3', 'echo x > /srv/before-crash');
    await fleet.stopHost('host3');
    assert.equal((await fleet.ssh('host3', 'true')).exitCode, 255);
    await fleet.startHost('host3');
    assert.equal((await fleet.ssh('host3', 'ls -A /srv')).stdout, '');
    const other = await SshFleet.start(1);
    try {
      assert.notEqual(other.prefix, fleet.prefix);
      assert.notEqual(other.hosts[0]?.address, fleet.host('host1').address);
      assert.equal((await other.ssh('host1', 'echo ok')).stdout, 'ok');
    } finally {
      await other.stop();
    }
    assert.equal((await fleet.ssh('host1', 'echo still')).stdout, 'still');
  });
});
