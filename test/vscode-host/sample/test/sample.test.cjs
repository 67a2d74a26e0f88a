// Sample suite for the harness (run by ../../mocha-entry.cjs with CLOCKWORK_VSCODE_TESTS_DIR=<this folder>).
// CLOCKWORK_TEST_EXPECT_TRUSTED=1|0 is passed by the runner with --env; it also proves env vars reach the host.
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { screenshot, waitFor } = require('../../harness.cjs');

const EXT_ID = 'clockwork-dev.clockwork-harness-sample';
const folder = () => vscode.workspace.workspaceFolders[0].uri;
const clockworkTs = () => vscode.Uri.joinPath(folder(), 'clockwork.ts');

describe('vscode-host harness sample', () => {
  let api;

  it('sees environment variables passed by the runner', () => {
    assert.match(process.env.CLOCKWORK_TEST_EXPECT_TRUSTED ?? '', /^[01]$/);
    console.log(`    host: vscode ${vscode.version}, uiKind ${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'}, remoteName ${vscode.env.remoteName}, ` +
      `node ${process.version}, execPath ${process.execPath}, electron ${process.versions.electron ?? '-'}, ` +
      `ELECTRON_RUN_AS_NODE=${process.env.ELECTRON_RUN_AS_NODE ?? '-'}, cwd ${process.cwd()}, folder ${folder().toString()}`);
  });

  it('activates by itself (workspaceContains:**/clockwork.ts) and exports its API', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is loaded`);
    await waitFor(() => ext.isActive, { what: 'activation', timeoutMs: 30000 }); // no ext.activate(): activation event
    api = ext.exports;
    assert.equal(api.apiVersion, 1);
  });

  it('runs a contributed command', async () => {
    assert.equal(await vscode.commands.executeCommand('clockworkSample.hello', 'tests'), 'Hello tests');
  });

  it('reports workspace trust as the runner configured it', () => {
    const expected = process.env.CLOCKWORK_TEST_EXPECT_TRUSTED === '1';
    assert.equal(vscode.workspace.isTrusted, expected);
    assert.equal(api.trustedAtActivation, expected);
  });

  it('publishes diagnostics seen by languages.getDiagnostics', async () => {
    const diags = await waitFor(() => vscode.languages.getDiagnostics(clockworkTs()).filter(d => d.source === 'clockwork-sample').length > 0
      && vscode.languages.getDiagnostics(clockworkTs()), { what: 'diagnostics' });
    assert.equal(diags.find(d => d.source === 'clockwork-sample').message, 'sample: TODO left');
  });

  it('talks to a language server over stdio (vscode-languageclient)', async () => {
    await api.clientReady;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(clockworkTs()));
    assert.equal(path.basename(editor.document.fileName), 'clockwork.ts');
    await waitFor(() => vscode.languages.getDiagnostics(clockworkTs()).some(d => d.source === 'clockwork-sample-lsp'), { what: 'LSP diagnostics', timeoutMs: 15000 });
    const info = await api.client.sendRequest('sample/ping');
    assert.notEqual(info.pid, process.pid);
    console.log(`    language server: pid ${info.pid}, node ${info.node}, execPath ${info.execPath}, electron ${info.electron ?? '-'}`);
    await new Promise(r => setTimeout(r, 500)); // let the editor paint squiggles
    const shot = await screenshot('editor-with-clockwork-ts');
    if (shot) console.log(`    screenshot: ${shot}`);
  });

  it('spawns a child Node process: process.execPath some.cjs', () => {
    const script = path.join(os.tmpdir(), `clockwork-child-${process.pid}.cjs`);
    fs.writeFileSync(script, 'console.log(JSON.stringify({ node: process.version, electron: process.versions.electron ?? null }))');
    try {
      // ELECTRON_RUN_AS_NODE=1 is what makes the Electron binary act as Node in desktop VS Code; plain Node ignores it.
      const out = execFileSync(process.execPath, [script], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
      assert.equal(JSON.parse(out).node, process.version);
    } finally { fs.rmSync(script, { force: true }); }
  });

  it('window.withProgress, languages.createLanguageStatusItem', async () => {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'sample' }, async p => { p.report({ increment: 50 }); return 42; });
    assert.equal(r, 42);
    const item = vscode.languages.createLanguageStatusItem('clockworkSample.status', { pattern: '**/clockwork.ts' });
    item.text = 'Clockwork'; item.severity = vscode.LanguageStatusSeverity.Information;
    item.dispose();
  });

  it('tests.createTestController: items and a run triggered from the Testing UI command', async function () {
    // In Restricted Mode, running tests asks for workspace trust (a dialog the test workbench refuses): no run.
    if (!vscode.workspace.isTrusted) this.skip();
    const ctrl = vscode.tests.createTestController('clockworkSample', 'Clockwork sample');
    try {
      const item = ctrl.createTestItem('t1', 'resource web', clockworkTs());
      ctrl.items.add(item);
      let ran;
      const done = new Promise(r => { ran = r; });
      ctrl.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request) => {
        const run = ctrl.createTestRun(request);
        run.started(item); run.passed(item, 5); run.end();
        ran(request.include?.map(i => i.id) ?? 'all');
      }, true);
      // The main thread learns about new items/profiles asynchronously (debounced): a Testing command issued right
      // after createRunProfile finds nothing to run, so retry until the run handler is called.
      let which;
      await waitFor(async () => {
        await vscode.commands.executeCommand('testing.runAll');
        which = await Promise.race([done, new Promise(r => setTimeout(r, 500))]);
        return which;
      }, { what: 'run handler called by testing.runAll' });
      assert.ok(which);
    } finally { ctrl.dispose(); }
  });

  it('SecretStorage (context.secrets) stores and reads back', async () => {
    await api.secrets.store('clockwork.sample', 's3cr3t');
    assert.equal(await api.secrets.get('clockwork.sample'), 's3cr3t');
    await api.secrets.delete('clockwork.sample');
    assert.equal(await api.secrets.get('clockwork.sample'), undefined);
  });
});
