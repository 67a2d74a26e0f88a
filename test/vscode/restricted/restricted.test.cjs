// Restricted Mode (run with --untrusted): static features work, every command that would run
// clockwork.ts is refused with a reason, and the fixture's clockwork.ts is never executed
// (it would write a canary file).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { waitFor } = require('../../vscode-host/harness.cjs');

const EXT_ID = 'clockwork-dev.clockwork';
const CANARY = path.join(os.tmpdir(), 'clockwork-vscode-canary.txt');
const clockworkTs = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'clockwork.ts');

describe('Restricted Mode', () => {
  let api;
  before(async () => {
    fs.rmSync(CANARY, { force: true });
    const ext = vscode.extensions.getExtension(EXT_ID);
    await waitFor(() => ext.isActive, { what: 'activation', timeoutMs: 30000 });
    api = ext.exports;
    await api.clientReady;
  });

  it('the workspace is untrusted and the extension is active', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('diagnostics and the outline still work (they never run code)', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(clockworkTs()));
    const diagnostics = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(clockworkTs()).filter(d => d.source === 'clockwork');
      return found.length > 0 && found;
    }, { what: 'diagnostics', timeoutMs: 20000 });
    assert.ok(diagnostics.some(d => /mode/.test(d.message)));
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', clockworkTs());
    assert.ok(symbols.some(s => /canary\.txt/.test(s.name)), symbols.map(s => s.name).join(', '));
  });

  for (const command of ['apply', 'assert', 'destroy', 'plan', 'generate']) {
    it(`Clockwork: ${command} is refused with a message saying why`, async () => {
      const before = api.ui.shown.length;
      const result = await vscode.commands.executeCommand(`clockwork.${command}`, { uri: clockworkTs().toString(), resource: 'canary.txt' });
      assert.equal(result.ok, false);
      assert.equal(result.error.kind, 'untrusted');
      const message = api.ui.shown.slice(before).find(m => m.severity === 'warning');
      assert.match(message.message, /Restricted Mode/);
      assert.match(message.message, /executes code from this workspace/);
    });
  }

  it('the server refuses a run the client did not mark as trusted (defence in depth)', async () => {
    const result = await api.clockwork.client.sendRequest('clockwork/run', {
      command: 'plan', runId: 'test', folderUri: vscode.workspace.workspaceFolders[0].uri.toString(), trusted: false, settings: {},
    });
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'untrusted');
  });

  it('the Testing panel run profile runs nothing', async () => {
    const profile = api.tests.runProfile;
    const source = new vscode.CancellationTokenSource();
    const before = api.ui.shown.length;
    await profile.runHandler(new vscode.TestRunRequest(undefined, undefined, profile), source.token);
    assert.match(api.ui.shown.slice(before)[0]?.message ?? '', /Restricted Mode/);
  });

  it('clockwork.ts was never executed (no canary file)', async () => {
    await new Promise(resolve => setTimeout(resolve, 500));
    assert.equal(fs.existsSync(CANARY), false, `${CANARY} exists: clockwork.ts was executed`);
  });
});
