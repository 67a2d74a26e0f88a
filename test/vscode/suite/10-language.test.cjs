'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { waitFor } = require('../../vscode-host/harness.cjs');
const h = require('./helpers.cjs');

const BROKEN = `import { FileResource } from 'clockwork';

export default [
  new FileResource({
    name: 'broken.txt',
    content: 'x',
    mode: 'rwx',
    assertions: [  ],
  }),
];
`;

describe('language features in the editor', () => {
  const brokenDir = () => h.fixturePath('broken');
  const brokenUri = () => vscode.Uri.file(path.join(brokenDir(), 'clockwork.ts'));
  before(async () => {
    await h.api();
    fs.mkdirSync(brokenDir(), { recursive: true });
    fs.writeFileSync(brokenUri().fsPath, BROKEN);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(brokenDir(), { recursive: true, force: true });
  });

  it('a broken clockwork.ts gets a diagnostic at the offending value', async () => {
    const document = await vscode.workspace.openTextDocument(brokenUri());
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(brokenUri()).filter(d => d.source === 'clockwork');
      return found.length > 0 && found;
    }, { what: 'clockwork diagnostics', timeoutMs: 20000 });
    const offset = BROKEN.indexOf("'rwx'");
    const expected = new vscode.Range(document.positionAt(offset), document.positionAt(offset + "'rwx'".length));
    const mode = diagnostics.find(d => /mode/.test(d.message));
    assert.ok(mode, `a diagnostic about mode among ${diagnostics.map(d => d.message).join(' | ')}`);
    assert.ok(mode.range.isEqual(expected), `range ${JSON.stringify(mode.range)} is that of 'rwx' ${JSON.stringify(expected)}`);
    assert.match(mode.message, /octal/);
    assert.equal(mode.severity, vscode.DiagnosticSeverity.Error);
  });

  it('completion inside assertions: [ ] offers the assertions that apply to the resource', async () => {
    const document = await vscode.workspace.openTextDocument(brokenUri());
    const position = document.positionAt(BROKEN.indexOf('assertions: [ ') + 'assertions: [ '.length);
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', brokenUri(), position);
    const labels = list.items.map(item => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const name of ['FileExistsAssert', 'FileContentMatchesAssert']) {
      assert.ok(labels.some(label => label.includes(name)), `${name} in ${labels.slice(0, 20).join(', ')}`);
    }
    // Most relevant first: the file assertions sort before ones that need extra fields on a file.
    const sorted = [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    const first = sorted[0];
    assert.match(typeof first.label === 'string' ? first.label : first.label.label, /^File/);
  });

  it('CodeLens shows Apply, Assert and Destroy above each resource', async () => {
    await vscode.workspace.openTextDocument(h.clockworkTs());
    const lenses = await waitFor(async () => {
      const found = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', h.clockworkTs());
      return found && found.length >= 9 && found;
    }, { what: 'code lenses', timeoutMs: 15000 });
    const forHello = lenses.filter(lens => lens.command && lens.command.arguments && lens.command.arguments[0].resource === 'hello.txt');
    assert.deepEqual(forHello.map(lens => lens.command.title), ['Apply', 'Assert', 'Destroy']);
    assert.deepEqual(forHello.map(lens => lens.command.command), ['clockwork.apply', 'clockwork.assert', 'clockwork.destroy']);
    assert.equal(forHello[0].command.arguments[0].uri, h.clockworkTs().toString());
  });

  it('the Testing panel lists file → resource → assertion from the static parse, with ranges', async () => {
    const api = await h.api();
    const file = await h.fileItem(api);
    const hello = file.children.get(`${file.id}/hello.txt`);
    assert.ok(hello, 'resource item hello.txt');
    assert.equal(hello.children.size, 2);
    const exists = hello.children.get(`${hello.id}/0`);
    assert.match(exists.label, /^FileExistsAssert/);
    const document = await vscode.workspace.openTextDocument(h.clockworkTs());
    assert.match(document.getText(exists.range), /^new FileExistsAssert\(\{ path: 'out\/hello.txt' \}\)$/);
    const docker = file.children.get(`${file.id}/clockwork-vscode-test`);
    assert.equal(docker.children.size, 3);
    // The root is the file, named once (it read "proj/clockwork.ts  proj").
    assert.equal(file.label, 'clockwork.ts');
    assert.equal(file.description, undefined);
    // A resource built in a loop is one item, its name computed.
    const loop = file.children.get(`${file.id}/#2`);
    assert.equal(loop.label, 'FileResource (name computed in code)');
    assert.equal(loop.children.size, 1);
  });

  it('the Testing panel follows edits (children.replace) without running the file', async () => {
    const api = await h.api();
    const file = await h.fileItem(api);
    const document = await vscode.workspace.openTextDocument(h.clockworkTs());
    const editor = await vscode.window.showTextDocument(document);
    const at = document.getText().indexOf("new FileContentMatchesAssert({ path: 'out/hello.txt'");
    await editor.edit(edit => edit.insert(document.positionAt(at), "new FileExistsAssert({ path: 'out/extra.txt' }),\n      "));
    try {
      await waitFor(() => file.children.get(`${file.id}/hello.txt`)?.children.size === 3, { what: 'a third assertion item', timeoutMs: 10000 });
    } finally {
      await vscode.commands.executeCommand('undo');
      await waitFor(() => file.children.get(`${file.id}/hello.txt`)?.children.size === 2, { what: 'back to two', timeoutMs: 10000 });
      await document.save();
    }
  });

  it('Plan opens the read-only "Clockwork Plan" document with + ~ - = lines', async function () {
    this.timeout(40000);
    const result = await vscode.commands.executeCommand('clockwork.plan', h.clockworkTs());
    assert.equal(result.ok, true, result.summary);
    const planDoc = await waitFor(() => vscode.workspace.textDocuments.find(d => d.uri.scheme === 'clockwork-plan'), { what: 'plan document' });
    assert.equal(planDoc.languageId, 'clockwork-plan');
    const text = planDoc.getText();
    assert.match(text, /^\+ FileResource hello\.txt → .*out\/hello\.txt on @local$/m);
    assert.match(text, /^\+ DockerServiceResource clockwork-vscode-test → container clockwork-vscode-test on @local$/m);
    assert.match(text, /Apply would create 5/);
    // In the editor's own column (not a narrow side split), wrapped so no line is cut.
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'clockwork-plan');
    assert.equal(vscode.window.tabGroups.all.length, 1, 'no side split');
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'clockwork-plan' }).get('wordWrap'), 'on');
  });

  it('one run at a time per project: a second request says a run is in progress', async function () {
    this.timeout(40000);
    const first = vscode.commands.executeCommand('clockwork.plan', h.clockworkTs());
    const second = await vscode.commands.executeCommand('clockwork.plan', h.clockworkTs());
    assert.equal(second.error?.kind, 'locked');
    assert.match(second.summary, /in progress/);
    assert.equal((await first).ok, true);
  });
});
