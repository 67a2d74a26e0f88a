'use strict';
// Issue 16 item 8: nothing twice with VS Code's own TypeScript server. After Init Project
// (00-activation) the fixture has types/clockwork.d.ts and a tsconfig.json, so TypeScript sees
// Clockwork's classes in *.clockwork.ts: a typo'd field is reported once (by TypeScript), a class
// hover shows the summary once, and completion lists FileSizeAssert once.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { waitFor } = require('../../vscode-host/harness.cjs');
const h = require('./helpers.cjs');

const TYPO = `import { FileResource, FileSizeAssert } from 'clockwork';

export default [
  new FileResource({
    name: 'typo.txt',
    contnet: 'x',
    mode: 'rwx',
    assertions: [  ],
  }),
];
`;

const hoverText = (hover) =>
  hover.contents.map((part) => (typeof part === 'string' ? part : part.value)).join('\n');

describe('with VS Code\'s TypeScript server beside Clockwork', function () {
  this.timeout(120000);
  const uri = () => vscode.Uri.file(h.fixturePath('typo.clockwork.ts'));
  let document;

  before(async () => {
    await h.api();
    assert.ok(fs.existsSync(h.fixturePath('types', 'clockwork.d.ts')), 'Init Project wrote the declarations (00-activation)');
    fs.writeFileSync(uri().fsPath, TYPO);
    document = await vscode.workspace.openTextDocument(uri());
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uri().fsPath, { force: true });
  });

  it('reports a typo\'d field once: TypeScript (ts 2561) does, Clockwork keeps only what types cannot say', async () => {
    const diagnostics = await waitFor(() => {
      const all = vscode.languages.getDiagnostics(uri());
      const ts = all.filter((d) => d.source === 'ts' && String(typeof d.code === 'object' ? d.code.value : d.code) === '2561');
      const clockwork = all.filter((d) => d.source === 'clockwork');
      return ts.length > 0 && clockwork.length > 0 && all;
    }, { what: 'TypeScript and Clockwork diagnostics', timeoutMs: 90000 });
    const typo = diagnostics.filter((d) => document.getText(d.range) === 'contnet');
    assert.equal(typo.length, 1, typo.map((d) => `${d.source}: ${d.message}`).join(' | '));
    assert.equal(typo[0].source, 'ts');
    // The octal mode is Clockwork's alone: types say only "string".
    assert.ok(diagnostics.some((d) => d.source === 'clockwork' && /octal/.test(d.message)));
  });

  it('shows a class\'s summary once on hover, and Clockwork\'s list of fields with types and defaults', async () => {
    const position = document.positionAt(TYPO.indexOf('new FileResource') + 'new File'.length);
    const hovers = await waitFor(async () => {
      const found = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri(), position);
      const text = found.map(hoverText).join('\n');
      return /Fields:/.test(text) && /A file on the target host/.test(text) && found;
    }, { what: 'hovers from TypeScript and Clockwork', timeoutMs: 60000 });
    const text = hovers.map(hoverText).join('\n');
    assert.equal(text.split('A file on the target host').length - 1, 1, text);
    assert.match(text, /- `mode\?`: `string` — default `"644"`/);
  });

  it('lists FileSizeAssert once in completion (TypeScript\'s), with Clockwork\'s whole construction beside it', async () => {
    const position = document.positionAt(TYPO.indexOf('assertions: [ ') + 'assertions: [ '.length);
    const labels = await waitFor(async () => {
      const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri(), position);
      const all = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      return all.includes('new FileSizeAssert(…)') && all.includes('FileSizeAssert') && all;
    }, { what: 'completions from TypeScript and Clockwork', timeoutMs: 60000 });
    assert.equal(labels.filter((label) => label === 'FileSizeAssert').length, 1, labels.filter((label) => /FileSizeAssert/.test(label)).join(', '));
  });
});
