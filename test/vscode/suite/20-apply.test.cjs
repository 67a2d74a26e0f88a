'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const h = require('./helpers.cjs');

describe('Apply', () => {
  it('shows the plan, asks, and deploys one resource with PyInfra (CodeLens arguments)', async function () {
    if (!h.pyinfraOnPath()) h.skipOrFail(this, 'pyinfra is not installed here (the install offer is tested below)');
    this.timeout(90000);
    const api = await h.api();
    const modals = h.answerModals(api, 'Apply');
    try {
      const result = await vscode.commands.executeCommand('clockwork.apply', { uri: h.clockworkTs().toString(), resource: 'hello.txt' });
      assert.equal(result.ok, true, `${result.summary} ${result.error?.message ?? ''}`);
      assert.deepEqual(result.resources.map(r => [r.resource, r.status]), [['hello.txt', 'changed']]);
      assert.equal(fs.readFileSync(h.fixturePath('out', 'hello.txt'), 'utf8'), 'Hello from the VS Code suite\n');
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0].message, /^Apply hello\.txt in /);
      assert.match(modals.asked[0].detail, /create 1/);
      assert.ok(vscode.workspace.textDocuments.some(d => d.uri.scheme === 'clockwork-plan'), 'the plan document is open');
    } finally {
      modals.restore();
    }
  });

  it('deploys nothing when the plan is declined', async function () {
    this.timeout(60000);
    const api = await h.api();
    const modals = h.answerModals(api, undefined);
    try {
      const result = await vscode.commands.executeCommand('clockwork.apply', { uri: h.clockworkTs().toString(), resource: 'given.txt' });
      assert.equal(result.cancelled, true);
      assert.equal(modals.asked.length, 1);
      assert.ok(!fs.existsSync(h.fixturePath('given', 'given.txt')), 'given.txt was not deployed');
    } finally {
      modals.restore();
    }
  });

  it('offers to install PyInfra when it is not found (clockwork.pyinfraPath → a missing file)', async function () {
    this.timeout(60000);
    const api = await h.api();
    const config = vscode.workspace.getConfiguration('clockwork', h.folder());
    await config.update('pyinfraPath', '/nonexistent/bin/pyinfra', vscode.ConfigurationTarget.Workspace);
    const modals = h.answerModals(api, 'Apply');
    const shownBefore = api.ui.shown.length;
    try {
      const result = await vscode.commands.executeCommand('clockwork.apply', { uri: h.clockworkTs().toString(), resource: 'hello.txt' });
      assert.equal(result.ok, false);
      assert.equal(result.error.kind, 'pyinfra-missing');
      const offer = api.ui.shown.slice(shownBefore).find(m => m.severity === 'error');
      assert.ok(offer, 'an error notification');
      assert.match(offer.message, /needs PyInfra/);
      assert.deepEqual(offer.items, ['Install PyInfra', 'Open Settings', 'Show Output']);
    } finally {
      modals.restore();
      await config.update('pyinfraPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
