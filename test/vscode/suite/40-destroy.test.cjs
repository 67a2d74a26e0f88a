'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { screenshot, ui, waitFor } = require('../../vscode-host/harness.cjs');
const h = require('./helpers.cjs');

describe('Destroy', () => {
  before(function () {
    if (!h.pyinfraOnPath()) h.skipOrFail(this, 'nothing was applied (pyinfra is not installed here)');
    if (!fs.existsSync(h.fixturePath('.clockwork', 'state.json'))) h.skipOrFail(this, 'nothing was applied (Apply did not record hello.txt)');
  });

  it('asks first, listing exactly what goes (the file, the folder apply created, .clockwork/), and removes nothing when declined', async function () {
    this.timeout(30000);
    const api = await h.api();
    const modals = h.answerModals(api, undefined);
    try {
      const result = await vscode.commands.executeCommand('clockwork.destroy', h.clockworkTs());
      assert.equal(result.cancelled, true);
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0].message, /^Destroy 1 resource\(s\)/);
      const detail = modals.asked[0].detail;
      assert.match(detail, /^This removes:\n- FileResource hello\.txt: out\/hello\.txt\n/);
      assert.match(detail, /^- the folder out\/ that Apply created, once it is empty$/m);
      assert.match(detail, /^- \.clockwork\/: the record of what was deployed, the PyInfra programs, the assertion results$/m);
      assert.match(detail, /"Destroy, Keep \.clockwork\/" keeps \.clockwork\/ \(the command line's --keep-files\)\./);
      assert.deepEqual(modals.asked[0].items, ['Destroy', 'Destroy, Keep .clockwork/']);
      assert.ok(fs.existsSync(h.fixturePath('out', 'hello.txt')));
    } finally {
      modals.restore();
    }
  });

  it('removes what was applied (keeping .clockwork/ when asked), with the folder apply created; its results become unknown and an open plan refreshes', async function () {
    this.timeout(90000);
    const api = await h.api();
    const file = await h.fileItem(api);
    const hello = file.children.get(`${file.id}/hello.txt`);
    await h.runProfile(api, [hello]);
    assert.equal(api.tests.results.get(`${hello.id}/0`)?.state, 'passed', JSON.stringify(api.tests.results.get(`${hello.id}/0`)));
    const summary = async () => {
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', h.clockworkTs());
      return lenses.find(lens => !lens.command?.command && lens.range.start.line === hello.range.start.line)?.command.title;
    };
    await waitFor(async () => (await summary()) === '✓ 2/2 assertions', { what: 'the summary before Destroy' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(h.clockworkTs()));
    await vscode.commands.executeCommand('clockwork.plan', h.clockworkTs());
    // The plan beside clockwork.ts, so both stay visible.
    await vscode.commands.executeCommand('workbench.action.moveEditorToRightGroup');
    const planText = () => vscode.workspace.textDocuments.find(d => d.uri.scheme === 'clockwork-plan')?.getText() ?? '';
    assert.match(planText(), /^= FileResource hello\.txt/m);

    fs.mkdirSync(h.fixturePath('given'), { recursive: true });
    const givenBefore = api.tests.results.get(`${file.id}/given.txt/0`)?.state;
    const modals = h.answerModals(api, 'Destroy, Keep .clockwork/');
    try {
      const result = await vscode.commands.executeCommand('clockwork.destroy', h.clockworkTs());
      assert.equal(result.ok, true, `${result.summary} ${result.error?.message ?? ''}`);
      assert.ok(!fs.existsSync(h.fixturePath('out', 'hello.txt')), 'hello.txt was removed');
      assert.ok(!fs.existsSync(h.fixturePath('out')), 'the folder apply created for it was removed');
      assert.ok(fs.existsSync(h.fixturePath('given')), 'a folder apply did not create stays');
      // Kept: .clockwork/ (nothing recorded any more), without hello.txt's results.
      assert.ok(fs.existsSync(h.fixturePath('.clockwork', 'pyinfra', 'destroy.py')), '.clockwork/ was kept');
      assert.ok(!fs.existsSync(h.fixturePath('.clockwork', 'state.json')));
      const results = path.join(h.fixturePath('.clockwork', 'results.json'));
      if (fs.existsSync(results)) assert.doesNotMatch(fs.readFileSync(results, 'utf8'), /"hello\.txt"/);
    } finally {
      modals.restore();
    }
    // The Testing panel and CodeLens no longer say it passes; the open plan says it would be created again.
    assert.equal(api.tests.results.get(`${hello.id}/0`)?.state, 'skipped');
    // given.txt was not deployed by Clockwork, so Destroy did not touch it: its result stands.
    assert.equal(api.tests.results.get(`${file.id}/given.txt/0`)?.state, givenBefore);
    await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', h.clockworkTs());
      const forHello = lenses.filter(lens => lens.range.start.line === hello.range.start.line).map(lens => lens.command?.title);
      return forHello.join(' ') === 'Apply Assert Destroy';
    }, { what: 'the CodeLens summary to go (the commands stay)', timeoutMs: 20000 });
    await waitFor(() => /^\+ FileResource hello\.txt/m.test(planText()), { what: 'the open plan to refresh', timeoutMs: 20000 });

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(h.clockworkTs()));
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    // Expand the file's item (there is no command for it) to show the resources.
    const pause = () => new Promise(resolve => setTimeout(resolve, 400));
    await ui('click', '.test-explorer .monaco-list-row[aria-level="1"]');
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowRight', 'ArrowUp']) {
      await pause();
      await ui('press', key);
    }
    await ui('hover', '.part.statusbar');
    await new Promise(resolve => setTimeout(resolve, 1500));
    await screenshot('testing-after-destroy');
  });
});
