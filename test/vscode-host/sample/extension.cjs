// Sample extension for the harness: activates on workspaceContains:**/clockwork.ts, registers a command, publishes a
// diagnostic itself, starts a tiny language server over stdio, and returns an API object from activate().
'use strict';
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('clockworkSample.hello', (who = 'world') => `Hello ${who}`));

  const diagnostics = vscode.languages.createDiagnosticCollection('clockwork-sample');
  context.subscriptions.push(diagnostics);
  for (const uri of await vscode.workspace.findFiles('**/clockwork.ts', '**/node_modules/**')) {
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    const line = text.split('\n').findIndex(l => l.includes('TODO'));
    if (line >= 0) {
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 200), 'sample: TODO left', vscode.DiagnosticSeverity.Warning);
      d.source = 'clockwork-sample';
      diagnostics.set(uri, [d]);
    }
  }

  // `module` + stdio: vscode-languageclient spawns process.execPath with ELECTRON_RUN_AS_NODE=1 (a no-op for Node).
  const server = path.join(__dirname, 'lsp-server.cjs');
  const client = new LanguageClient('clockworkSampleLsp', 'Clockwork sample LSP',
    { run: { module: server, transport: TransportKind.stdio }, debug: { module: server, transport: TransportKind.stdio } },
    { documentSelector: [{ scheme: 'file', pattern: '**/clockwork.ts' }] });
  context.subscriptions.push(client);
  const clientReady = client.start();

  return {
    apiVersion: 1,
    trustedAtActivation: vscode.workspace.isTrusted,
    client,
    clientReady,
    secrets: context.secrets,
  };
}

function deactivate() {}

module.exports = { activate, deactivate };
