'use strict';
// A resource on two real SSH hosts (test/setup/ssh-hosts.sh) in the Testing panel: a host level
// under each assertion, each host's own result, one host's checks run from its item, and CodeLens
// naming the host that failed.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { screenshot, waitFor } = require('../../vscode-host/harness.cjs');
const h = require('./helpers.cjs');

/** Why real SSH hosts cannot be started here, or undefined. */
function sshHostsUnavailable() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'real SSH hosts need root (network namespaces)';
  for (const file of ['/usr/sbin/sshd', '/usr/lib/openssh/sftp-server', '/usr/bin/ssh-keygen']) {
    if (!fs.existsSync(file)) return `${file} is missing (apt-get install -y openssh-server openssh-client)`;
  }
  return undefined;
}

describe('Many hosts in the Testing panel', () => {
  const prefix = `v${process.pid.toString(36)}`.slice(0, 8);
  let script;
  let hosts;
  const fleetTs = () => vscode.Uri.file(h.fixturePath('fleet', 'clockwork.ts'));
  const ssh = (host, command) =>
    execFileSync('ssh', ['-i', host.keyFile, '-o', `UserKnownHostsFile=${host.knownHostsFile}`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', `${host.user}@${host.address}`, command], { timeout: 20000 });

  before(async function () {
    this.timeout(90000);
    const reason = sshHostsUnavailable();
    if (reason) return h.skipOrFail(this, reason);
    if (!h.pyinfraOnPath()) return h.skipOrFail(this, 'pyinfra is not on PATH');
    script = path.join(vscode.extensions.getExtension(h.EXT_ID).extensionPath, 'test/setup/ssh-hosts.sh');
    hosts = JSON.parse(execFileSync('bash', [script, 'up', '2', '--prefix', prefix], { env: { ...process.env, CLOCKWORK_SSH_OWNER: String(process.pid) }, timeout: 60000 }).toString());
    // The file is on both hosts; its content matches on web1 only.
    ssh(hosts[0], "printf 'hello\\n' > /srv/motd");
    ssh(hosts[1], "printf 'goodbye\\n' > /srv/motd");
    const declare = (host, index) =>
      `const web${index + 1} = new SshHost({ name: "web${index + 1}", address: "${host.address}", user: "${host.user}", keyFile: "${host.keyFile}", knownHostsFile: "${host.knownHostsFile}" });`;
    fs.mkdirSync(h.fixturePath('fleet'), { recursive: true });
    fs.writeFileSync(
      fleetTs().fsPath,
      [
        "import { SshHost, FileResource, FileExistsAssert, FileContentMatchesAssert } from 'clockwork';",
        ...hosts.map(declare),
        'export default [',
        "  new FileResource({ name: 'motd', path: '/srv/motd', content: 'hello\\n', targets: [web1, web2],",
        "    assertions: [new FileExistsAssert({ path: '/srv/motd' }), new FileContentMatchesAssert({ path: '/srv/motd', pattern: '^hello$' })] }),",
        '];',
        '',
      ].join('\n'),
    );
  });
  after(() => {
    if (script) execFileSync('bash', [script, 'down', '--prefix', prefix], { timeout: 60000 });
    fs.rmSync(h.fixturePath('fleet'), { recursive: true, force: true });
  });

  /** The fleet file's resource item, once the panel shows its hosts. */
  async function motdItem(api) {
    return waitFor(() => {
      const file = api.tests.controller.items.get(fleetTs().toString());
      const resource = file?.children.get(`${file.id}/motd`);
      return resource?.children.get(`${resource.id}/1`)?.children.size === 2 ? resource : undefined;
    }, { what: 'the host level under the assertions of motd', timeoutMs: 30000 });
  }

  it('shows a host level under each assertion of a resource with two hosts, and each host\'s own result', async function () {
    this.timeout(120000);
    const api = await h.api();
    const resource = await motdItem(api);
    const content = resource.children.get(`${resource.id}/1`);
    const labels = [];
    content.children.forEach((item) => labels.push(item.label));
    assert.deepEqual(labels.sort(), ['web1', 'web2']);
    const result = await h.runProfile(api, [resource]);
    console.log(`    ${result.summary}: ${result.assertions?.map((r) => `#${r.assertion.index}@${r.host} ${r.status}`).join('; ')}`);
    const state = (id) => api.tests.results.get(`${resource.id}/${id}`)?.state;
    assert.equal(state('0/@web1'), 'passed');
    assert.equal(state('0/@web2'), 'passed');
    assert.equal(state('1/@web1'), 'passed');
    assert.equal(state('1/@web2'), 'failed');
    assert.match(api.tests.results.get(`${resource.id}/1/@web2`).message ?? '', /the pattern does not match/);
  });

  it('CodeLens names the host that failed', async function () {
    this.timeout(30000);
    const lenses = await waitFor(async () => {
      const found = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', fleetTs());
      return found && found.some((lens) => lens.command?.title === '✗ 1 failed on web2') && found;
    }, { what: 'the CodeLens summary with the host', timeoutMs: 20000 });
    console.log(`    lenses: ${lenses.map((lens) => lens.command?.title).join(', ')}`);
  });

  it('screenshot: the Testing panel with the hosts under each assertion, one failing', async function () {
    this.timeout(60000);
    const api = await h.api();
    const resource = await motdItem(api);
    const document = await vscode.workspace.openTextDocument(fleetTs());
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    // Each host item revealed: the tree opens down to the host level.
    for (const index of ['0', '1']) {
      for (const host of ['web1', 'web2']) {
        const item = resource.children.get(`${resource.id}/${index}`).children.get(`${resource.id}/${index}/@${host}`);
        await vscode.commands.executeCommand('vscode.revealTestInExplorer', item).then(undefined, () => undefined);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const shot = await screenshot('clockwork-fleet');
    if (shot) console.log(`    screenshot: ${shot}`);
  });

  it('runs one host\'s checks from its item', async function () {
    this.timeout(120000);
    const api = await h.api();
    const resource = await motdItem(api);
    ssh(hosts[1], "printf 'hello\\n' > /srv/motd");
    const one = resource.children.get(`${resource.id}/1`).children.get(`${resource.id}/1/@web2`);
    const result = await h.runProfile(api, [one]);
    assert.deepEqual(result.assertions.map((r) => [r.assertion.index, r.host, r.status]), [[1, 'web2', 'passed']]);
    assert.equal(api.tests.results.get(`${resource.id}/1/@web2`)?.state, 'passed');
  });
});
