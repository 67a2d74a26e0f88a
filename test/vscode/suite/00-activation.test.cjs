'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { screenshot, waitFor } = require('../../vscode-host/harness.cjs');
const h = require('./helpers.cjs');

describe('activation', () => {
  it('activates by itself on a workspace with clockwork.ts, doing little work in activate()', async () => {
    const api = await h.api();
    assert.equal(api.apiVersion, 1);
    // Goal: 50 ms of its own (about 30 ms on a quiet 2-core machine). The bound here allows for a loaded CI machine.
    console.log(`    activate() took ${api.activationMs.toFixed(1)} ms (goal 50 ms)`);
    assert.ok(api.activationMs < 250, `activation took ${api.activationMs} ms`);
  });

  it('contributes every command of the "Clockwork" category', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const name of ['apply', 'assert', 'destroy', 'plan', 'generate', 'setApiKey', 'clearApiKey', 'installPyinfra', 'showOutput', 'initProject']) {
      assert.ok(all.includes(`clockwork.${name}`), `clockwork.${name} is registered`);
    }
  });

  it('tracks clockwork.ts coming and going; Init Project writes it, the declarations, a tsconfig and .clockwork/ in .gitignore', async function () {
    this.timeout(60000);
    const api = await h.api();
    await waitFor(() => api.projects.hasProject === true, { what: 'the project at activation' });
    const moved = h.fixturePath('clockwork.ts.moved');
    fs.renameSync(h.fixturePath('clockwork.ts'), moved);
    try {
      // Without a clockwork.ts, Plan, Apply… leave the palette (the clockwork.hasProject context key)…
      await waitFor(() => api.projects.hasProject === false, { what: 'hasProject to turn false' });
      const written = await vscode.commands.executeCommand('clockwork.initProject', h.folder());
      assert.deepEqual(written, ['clockwork.ts', 'types/clockwork.d.ts', 'tsconfig.json', '.gitignore']);
      // …and come back as soon as Init Project wrote one, without a window reload.
      await waitFor(() => api.projects.hasProject === true, { what: 'hasProject to turn true' });
      assert.match(fs.readFileSync(h.fixturePath('clockwork.ts'), 'utf8'), /new FileResource\(\{\n    name: 'hello.txt'/);
      const declarations = fs.readFileSync(h.fixturePath('types', 'clockwork.d.ts'), 'utf8');
      assert.match(declarations, /declare module 'clockwork'/);
      assert.match(declarations, /export class FileResource implements ResourceInstance/);
      assert.match(declarations, /export class HealthcheckAssert implements AssertionInstance/);
      assert.match(fs.readFileSync(h.fixturePath('.gitignore'), 'utf8'), /^\.clockwork\/$/m);
      assert.match(fs.readFileSync(h.fixturePath('tsconfig.json'), 'utf8'), /types\/clockwork\.d\.ts/);
      await vscode.commands.executeCommand('workbench.action.quickOpen', '>Clockwork: ');
      await new Promise(resolve => setTimeout(resolve, 800));
      await screenshot('palette-after-init');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    } finally {
      fs.rmSync(h.fixturePath('clockwork.ts'), { force: true });
      fs.renameSync(moved, h.fixturePath('clockwork.ts'));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor(() => api.projects.hasProject === true, { what: 'the fixture back' });
    }
  });

  it('finds a clockwork.ts written into folders that were just created (a copy, a checkout), and lets it go with them', async function () {
    this.timeout(60000);
    const api = await h.api();
    // The file lands before VS Code watches the new folders: a clockwork.ts watcher alone misses it.
    const file = h.fixturePath('copied', 'app', 'clockwork.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "import { FileResource, FileExistsAssert } from 'clockwork';\nexport default [new FileResource({ name: 'copied.txt', content: 'x', assertions: [new FileExistsAssert({ path: 'copied.txt' })] })];\n");
    try {
      const id = vscode.Uri.file(file).toString();
      const item = await waitFor(() => api.tests.controller.items.get(id)?.children.get(`${id}/copied.txt`), { what: 'the copied clockwork.ts in the Testing panel', timeoutMs: 20000 });
      assert.equal(item.children.size, 1);
    } finally {
      fs.rmSync(h.fixturePath('copied'), { recursive: true, force: true });
    }
    await waitFor(() => (api.tests.controller.items.get(vscode.Uri.file(file).toString()) ? undefined : true), { what: 'the copied file to leave the Testing panel' });
  });

  it('contributes a walkthrough whose steps run real commands, and an icon', async function () {
    this.timeout(30000);
    const ext = vscode.extensions.getExtension(h.EXT_ID);
    const { walkthroughs } = ext.packageJSON.contributes;
    const steps = walkthroughs[0].steps;
    assert.deepEqual(steps.map(step => step.id), ['ai', 'pyinfra', 'init', 'apply', 'assert']);
    const all = await vscode.commands.getCommands(true);
    for (const step of steps) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) assert.ok(all.includes(command), `${step.id}: ${command} exists`);
      assert.ok(fs.existsSync(path.join(ext.extensionPath, step.media.markdown)), step.media.markdown);
    }
    assert.ok(fs.existsSync(path.join(ext.extensionPath, ext.packageJSON.icon)));
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: `${h.EXT_ID}#clockwork.gettingStarted`, step: `${h.EXT_ID}#clockwork.gettingStarted#ai` }, false);
    await new Promise(resolve => setTimeout(resolve, 4000));
    await screenshot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('the language status shows whether PyInfra was found, with its version, and the AI model', async () => {
    const api = await h.api();
    const status = await waitFor(() => api.status.latest, { what: 'status', timeoutMs: 20000 });
    const expected = h.pyinfraOnPath();
    assert.equal(status.pyinfra.found, expected !== undefined);
    if (expected) assert.match(status.pyinfra.version ?? '', /^3\./);
    assert.ok(status.model.length > 0);
    // VS Code draws the severity icon: the text has none of its own (it read "✓ ✓ PyInfra 3.2").
    assert.doesNotMatch(api.status.pyinfra.text, /\$\(/);
    assert.equal(api.status.ai.text, `AI: ${status.model}`);
  });

  it('Set API Key stores the key in SecretStorage; Clear API Key asks first, then removes it', async function () {
    if (process.env.OPENROUTER_API_KEY) this.skip();
    this.timeout(40000);
    const api = await h.api();
    await vscode.commands.executeCommand('clockwork.setApiKey', 'sk-test-not-a-real-key');
    await api.status.refresh();
    assert.equal(api.status.latest.apiKey, true);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('clockwork'));
    assert.ok(!settings.includes('sk-test-not-a-real-key'), 'the key is not in settings');
    // Dismissed: nothing is removed.
    let modals = h.answerModals(api, undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('clockwork.clearApiKey'), false);
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0].message, /Clear the stored API key\?/);
    } finally {
      modals.restore();
    }
    await api.status.refresh();
    assert.equal(api.status.latest.apiKey, true, 'the key is still there');
    modals = h.answerModals(api, 'Clear API Key');
    try {
      assert.equal(await vscode.commands.executeCommand('clockwork.clearApiKey'), true);
    } finally {
      modals.restore();
    }
    await api.status.refresh();
    assert.equal(api.status.latest.apiKey, false);
  });
});
