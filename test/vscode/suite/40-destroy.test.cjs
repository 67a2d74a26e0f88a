'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const h = require('./helpers.cjs');

describe('Destroy', () => {
  before(function () {
    if (!h.pyinfraOnPath()) h.skipOrFail(this, 'nothing was applied (pyinfra is not installed here)');
    if (!fs.existsSync(h.fixturePath('.clockwork', 'state.json'))) h.skipOrFail(this, 'nothing was applied (Apply did not record hello.txt)');
  });

  it('asks first, listing exactly what will be removed, and removes nothing when declined', async function () {
    this.timeout(30000);
    const api = await h.api();
    const modals = h.answerModals(api, undefined);
    try {
      const result = await vscode.commands.executeCommand('clockwork.destroy', h.clockworkTs());
      assert.equal(result.cancelled, true);
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0].message, /^Destroy 1 resource\(s\)/);
      assert.match(modals.asked[0].detail, /- FileResource hello\.txt: .*out\/hello\.txt on @local/);
      assert.deepEqual(modals.asked[0].items, ['Destroy']);
      assert.ok(fs.existsSync(h.fixturePath('out', 'hello.txt')));
    } finally {
      modals.restore();
    }
  });

  it('removes what was applied once confirmed', async function () {
    this.timeout(90000);
    const api = await h.api();
    const modals = h.answerModals(api, 'Destroy');
    try {
      const result = await vscode.commands.executeCommand('clockwork.destroy', h.clockworkTs());
      assert.equal(result.ok, true, `${result.summary} ${result.error?.message ?? ''}`);
      assert.ok(!fs.existsSync(h.fixturePath('out', 'hello.txt')), 'hello.txt was removed');
    } finally {
      modals.restore();
    }
  });
});
