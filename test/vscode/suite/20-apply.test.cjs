'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { waitFor } = require('../../vscode-host/harness.cjs');
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

  it('says PyInfra is missing before anything starts: in full, with the actions that fix it, and in the status item', async function () {
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
      // No "Apply?" question (and so no AI generation) when Apply could not deploy anyway.
      assert.equal(modals.asked.length, 0);
      const offers = api.ui.shown.slice(shownBefore).filter(m => m.severity === 'error');
      assert.equal(offers.length, 1, JSON.stringify(api.ui.shown.slice(shownBefore)));
      const offer = offers[0];
      assert.match(offer.message, /^Clockwork: Apply needs PyInfra 3\. The clockwork\.pyinfraPath setting is \/nonexistent\/bin\/pyinfra, which is not an executable program\. /);
      assert.match(offer.message, /"Install PyInfra"/);
      assert.doesNotMatch(offer.message, /PYINFRA_PATH|clockwork setup|\n/);
      assert.deepEqual(offer.items, ['Install PyInfra', 'Open Settings', 'Show Output']);
      // The plan shows it too, above the plan.
      await waitFor(() => vscode.workspace.textDocuments.some(d => d.uri.scheme === 'clockwork-plan' && /^⚠ Apply needs PyInfra 3\. /m.test(d.getText())), { what: 'the warning in the plan' });
      // The status item: an error with the action.
      await waitFor(() => api.status.latest && !api.status.latest.pyinfra.found, { what: 'the status to follow the setting' });
      assert.equal(api.status.pyinfra.text, 'PyInfra not found');
      assert.equal(api.status.pyinfra.severity, vscode.LanguageStatusSeverity.Error);
      assert.equal(api.status.pyinfra.command?.command, 'clockwork.installPyinfra');
      // Plan warns at once as well.
      const before = api.ui.shown.length;
      await vscode.commands.executeCommand('clockwork.plan', h.clockworkTs());
      const warning = api.ui.shown.slice(before).find(m => m.severity === 'warning');
      assert.match(warning?.message ?? '', /^Clockwork: Apply needs PyInfra 3\./);
    } finally {
      modals.restore();
      await config.update('pyinfraPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => api.status.latest?.pyinfra.found === (h.pyinfraOnPath() !== undefined), { what: 'the status back' });
  });
});
