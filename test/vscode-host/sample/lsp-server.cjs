// Tiny stdio language server: a warning on each line containing TODO, and a `sample/ping` request.
'use strict';
const { createConnection, TextDocuments, DiagnosticSeverity } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(); // transport from argv (--stdio)
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: 1 } }));
connection.onRequest('sample/ping', () => ({ pid: process.pid, execPath: process.execPath, node: process.version, electron: process.versions.electron ?? null }));
documents.onDidChangeContent(({ document }) => {
  const diagnostics = document.getText().split('\n').flatMap((l, line) => l.includes('TODO')
    ? [{ range: { start: { line, character: l.indexOf('TODO') }, end: { line, character: l.indexOf('TODO') + 4 } }, severity: DiagnosticSeverity.Information, source: 'clockwork-sample-lsp', message: 'LSP: TODO here' }]
    : []);
  connection.sendDiagnostics({ uri: document.uri, diagnostics });
});
documents.listen(connection);
connection.listen();
