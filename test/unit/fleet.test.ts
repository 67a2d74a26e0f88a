/**
 * Many hosts over SSH (issue 13), on three real sshd hosts (test/setup/ssh-hosts.sh): apply puts
 * each resource only on its targets, a second apply changes nothing, moving a resource's
 * targets prunes it from the host it left, assert reports per host, destroy removes per host
 * exactly what the state records there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecordedHosts, readState } from '../../server/src/pipeline/state.js';
import { runCli } from '../support/cli.js';
import { findPyinfra, skipBecause } from '../support/pyinfra.js';
import { fleetProject } from '../support/fleetProject.js';
import { useSshFleet } from '../support/sshHosts.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

interface JsonResult {
  resource: string;
  host: string;
  status: string;
  action?: string;
  error?: string;
}

/** `[resource, host, status]` of each result of a --json run, sorted. */
function outcomes(stdout: string): string[][] {
  const parsed = JSON.parse(stdout) as { results: JsonResult[] };
  return parsed.results.map((result) => [result.resource, result.host, result.status]).sort((a, b) => a.join().localeCompare(b.join()));
}

/** The fleet host (host1…) behind a project host name (web1…). */
const hostOf = (name: string): string => name.replace('web', 'host');

const RESOURCES = `  new FileResource({ name: 'motd', path: '/srv/motd', content: 'hello\\n', targets: [web1, web2, web3],
    assertions: [new FileExistsAssert({ path: '/srv/motd' }), new FileContentMatchesAssert({ path: '/srv/motd', pattern: '^hello$' })] }),
  new FileResource({ name: 'app.conf', path: '/srv/app.conf', content: 'port=80\\n', targets: [web1, web2],
    assertions: [new FileExistsAssert({ path: '/srv/app.conf' })] }),`;

describe('many hosts over SSH', function () {
  this.timeout(120_000);
  const hosts = useSshFleet(3);
  after(removeProjects);
  before(function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
  });

  it('applies to each target, changes nothing the second time, prunes a host a resource left, asserts per host, destroys per host', async () => {
    const { fleet } = hosts;
    const dir = makeProject({ 'clockwork.ts': fleetProject(fleet, RESOURCES) });
    const files = async (name: string): Promise<string> => (await fleet.ssh(hostOf(name), 'cd /srv && ls -A | tr "\\n" " "')).stdout.trim();

    const first = await runCli(['apply', '--json'], { cwd: dir });
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.deepEqual(outcomes(first.stdout), [
      ['app.conf', 'web1', 'changed'],
      ['app.conf', 'web2', 'changed'],
      ['motd', 'web1', 'changed'],
      ['motd', 'web2', 'changed'],
      ['motd', 'web3', 'changed'],
    ]);
    assert.deepEqual([await files('web1'), await files('web2'), await files('web3')], ['app.conf motd', 'app.conf motd', 'motd']);
    assert.equal(fs.existsSync('/srv/motd'), false, 'nothing on this machine');
    const state = path.join(dir, '.clockwork');
    assert.deepEqual(readRecordedHosts(state).map((host) => [host.name, host.data['ssh_hostname']]), fleet.hosts.map((host, index) => [`web${index + 1}`, host.address]));
    // Paths only: the key itself is in no generated file and not in the state.
    const key = fs.readFileSync(fleet.hosts[0]?.keyFile ?? '', 'utf8').split('\n').slice(1, 3).join('\n');
    for (const file of ['pyinfra/inventory.py', 'pyinfra/deploy.py', 'state.json']) {
      const text = fs.readFileSync(path.join(state, file), 'utf8');
      assert.equal(text.includes(key), false, `${file} holds no key`);
      if (file !== 'pyinfra/deploy.py') assert.match(text, /client_key'|client_key"/, `${file} holds the key's path`);
    }

    const second = await runCli(['apply', '--json'], { cwd: dir });
    assert.equal(second.exitCode, 0, second.stderr);
    assert.deepEqual(outcomes(second.stdout).map((result) => result[2]), ['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);

    // app.conf moves from web1 and web2 to web3 only: plan says so, apply removes it from both.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), fleetProject(fleet, RESOURCES.replace('targets: [web1, web2]', 'targets: [web3]')));
    const plan = await runCli(['plan', '--json'], { cwd: dir });
    const planned = (JSON.parse(plan.stdout) as { resources?: { name: string; action: string; hosts?: string[]; leaving?: string[] }[]; plan?: { resources: { name: string; action: string; hosts?: string[]; leaving?: string[] }[] } });
    const appConf = (planned.plan ?? planned).resources?.find((resource) => resource.name === 'app.conf');
    assert.deepEqual([appConf?.action, appConf?.hosts, appConf?.leaving], ['create', ['web3'], ['web1', 'web2']]);
    const planText = await runCli(['plan'], { cwd: dir });
    assert.match(planText.stdout, /\+ FileResource app\.conf → \/srv\/app\.conf on web3\n {6}leaves web1, web2: apply removes it there\n/);
    const moved = await runCli(['apply', '--json'], { cwd: dir });
    assert.equal(moved.exitCode, 0, moved.stdout + moved.stderr);
    const movedResults = (JSON.parse(moved.stdout) as { results: JsonResult[] }).results;
    assert.deepEqual(movedResults.filter((result) => result.action === 'remove').map((result) => [result.resource, result.host, result.status]), [
      ['app.conf', 'web1', 'changed'],
      ['app.conf', 'web2', 'changed'],
    ]);
    assert.deepEqual([await files('web1'), await files('web2'), await files('web3')], ['motd', 'motd', 'app.conf motd']);
    assert.deepEqual(readState(state).map((record) => `${record.name}@${record.host}`).sort(), ['app.conf@web3', 'motd@web1', 'motd@web2', 'motd@web3']);

    // One assertion fails on one host only.
    await fleet.ssh('host2', "printf 'changed by hand\\n' > /srv/motd");
    const junit = path.join(dir, 'results.xml');
    const checked = await runCli(['assert', '--json', '--junit', junit], { cwd: dir });
    assert.equal(checked.exitCode, 1, checked.stdout + checked.stderr);
    const assertResults = (JSON.parse(checked.stdout) as { results: { resource: string; host: string; status: string; assertion: { kind: string } }[] }).results;
    assert.deepEqual(
      assertResults.filter((result) => result.status !== 'passed').map((result) => [result.resource, result.assertion.kind, result.host, result.status]),
      [['motd', 'FileContentMatchesAssert', 'web2', 'failed']],
    );
    assert.equal(assertResults.length, 7, '2 assertions on 3 hosts, 1 on 1 host');
    assert.match(fs.readFileSync(junit, 'utf8'), /<testcase name="FileContentMatchesAssert \(\/\^hello\$\/\) on web2"[^>]*>\s*<failure/);
    // --host: only that host's checks (and its name on each line).
    const web2Only = await runCli(['assert', '--host', 'web2'], { cwd: dir });
    assert.equal(web2Only.exitCode, 1);
    assert.match(web2Only.stdout, /^✗ 1 failed of 2 assertions \(1 passed\)\n {2}✓ motd: FileExistsAssert \(\/srv\/motd\) on web2\n {2}✗ motd: FileContentMatchesAssert \(\/\^hello\$\/\) on web2 — /);
    const unknown = await runCli(['plan', '--host', 'web9'], { cwd: dir });
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /--host "web9": no such host \(the hosts are "web1", "web2", "web3"\)/);

    // destroy --host web3: only what is recorded there; then the rest.
    const web3Gone = await runCli(['destroy', '--host', 'web3', '--json'], { cwd: dir });
    assert.equal(web3Gone.exitCode, 0, web3Gone.stdout + web3Gone.stderr);
    assert.deepEqual(outcomes(web3Gone.stdout), [
      ['app.conf', 'web3', 'changed'],
      ['motd', 'web3', 'changed'],
    ]);
    assert.deepEqual([await files('web1'), await files('web2'), await files('web3')], ['motd', 'motd', '']);
    // Without clockwork.ts: each host is reached as the state recorded it.
    fs.rmSync(path.join(dir, 'clockwork.ts'));
    const destroyed = await runCli(['destroy', '--json'], { cwd: dir });
    assert.equal(destroyed.exitCode, 0, destroyed.stdout + destroyed.stderr);
    assert.deepEqual(outcomes(destroyed.stdout), [
      ['motd', 'web1', 'changed'],
      ['motd', 'web2', 'changed'],
    ]);
    assert.deepEqual([await files('web1'), await files('web2'), await files('web3')], ['', '', '']);
    assert.equal(fs.existsSync(path.join(state, 'state.json')), false);
  });
});
