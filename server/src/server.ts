/**
 * The Clockwork language server: wires LSP requests to the pure language features in
 * `language/`. Started by the VS Code client (or any LSP client) with `--stdio`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { assertionDiagnostics, type AssertionFailure } from './language/assertionDiagnostics.js';
import { codeActions, fixOffsets, withCurrentFixData } from './language/codeActions.js';
import { codeLenses } from './language/codeLens.js';
import { complete } from './language/complete.js';
import { ClockworkDocuments } from './language/documents.js';
import type { FeatureOptions } from './language/featureOptions.js';
import { hover } from './language/hover.js';
import { documentModel } from './language/model.js';
import { symbols } from './language/symbols.js';
import { Lifecycle } from './lsp/lifecycle.js';
import { RESULTS_GLOB, ResultsStore, resultsFileProject } from './lsp/resultsStore.js';
import { TypeScriptCoverage } from './lsp/typescriptCoverage.js';
import { EXECUTABLE_COMMANDS, registerExecuteCommand } from './lsp/executeCommand.js';
import { registerRunRequests } from './lsp/runRequests.js';
import { clockworkInitializationOptions, DocumentModelChangedNotification, DocumentModelRequest } from './protocol.js';

/** Pause after a validation before the next one, so fast typing is batched. */
const DEBOUNCE_MS = 40;

/** True for the files the server serves: `clockwork.ts` and `*.clockwork.ts`. */
function isClockworkFile(uri: string): boolean {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  return name === 'clockwork.ts' || name.endsWith('.clockwork.ts');
}

const lifecycle = new Lifecycle();
const connection: Connection = createConnection(ProposedFeatures.all, lifecycle.connectionOptions);
lifecycle.register(connection);
const documents = new ClockworkDocuments();
let codeLensRefreshSupported = false;
let watchRegistrationSupported = false;
let snippetSupport = false;
let clientOptions = clockworkInitializationOptions(undefined);
/** Failed assertions of the last Assert run through workspace/executeCommand, per document. */
const assertFailures = new Map<string, AssertionFailure[]>();
let typescript = new TypeScriptCoverage(false);

/** What the features may send to this client for this document (language/featureOptions.ts). */
function featureOptions(uri: string): FeatureOptions {
  return { snippetSupport, typescript: typescript.covers(uri) };
}

const results = new ResultsStore();

/** Runs a handler; an exception is logged and answered with `fallback`, never fatal. */
function guarded<P extends unknown[], R>(name: string, fallback: R, handler: (...args: P) => R): (...args: P) => R {
  return (...args: P): R => {
    try {
      return handler(...args);
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
}

function refreshCodeLenses(): void {
  if (codeLensRefreshSupported) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

// Validation: at once after a quiet spell, then at most once per DEBOUNCE_MS while typing.
const pending = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
const lastRun = new Map<string, number>();

const validateNow = guarded('validation', undefined, (uri: string): void => {
  pending.delete(uri);
  const version = documents.version(uri);
  if (version === undefined) return;
  const diagnostics = documents.diagnostics(uri, featureOptions(uri));
  published.set(uri, { version, diagnostics });
  lastRun.set(uri, performance.now());
  const failures = assertFailures.get(uri);
  const doc = failures ? documents.get(uri) : undefined;
  const withFailures = doc && failures ? [...diagnostics, ...assertionDiagnostics(doc, failures)] : diagnostics;
  void connection.sendDiagnostics({ uri, version, diagnostics: withFailures });
  lifecycle.notify(connection, DocumentModelChangedNotification, { uri, version });
});

/** The diagnostics last published per document, with the version they describe. */
const published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

/** The diagnostics of the document's current version (those published, if they are current). */
function currentDiagnostics(uri: string): Diagnostic[] {
  const last = published.get(uri);
  return last && last.version === documents.version(uri) ? last.diagnostics : documents.diagnostics(uri, featureOptions(uri));
}

function scheduleValidation(uri: string): void {
  if (pending.has(uri)) return;
  const wait = DEBOUNCE_MS - (performance.now() - (lastRun.get(uri) ?? -Infinity));
  pending.set(uri, wait > 0 ? setTimeout(() => validateNow(uri), wait) : setImmediate(() => validateNow(uri)));
}

connection.onInitialize((params): InitializeResult => {
  codeLensRefreshSupported = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  watchRegistrationSupported = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  snippetSupport = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  clientOptions = lifecycle.initialize(params.initializationOptions);
  typescript = new TypeScriptCoverage(clientOptions.typescript);
  return {
    capabilities: {
      // Apply, Assert and Destroy for editors whose client does not run them itself (lsp/executeCommand.ts).
      ...(clientOptions.commands ? {} : { executeCommandProvider: { commands: [...EXECUTABLE_COMMANDS] } }),
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['[', '{', ',', ':', '"', "'"] },
      hoverProvider: true,
      documentSymbolProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'clockwork-language-server', version: '0.1.0' },
  };
});

connection.onDidOpenTextDocument(
  guarded('didOpen', undefined, ({ textDocument }) => {
    if (!isClockworkFile(textDocument.uri)) return;
    documents.open(textDocument.uri, textDocument.version, textDocument.text);
    scheduleValidation(textDocument.uri);
  }),
);

connection.onDidChangeTextDocument(
  guarded('didChange', undefined, ({ textDocument, contentChanges }) => {
    if (documents.version(textDocument.uri) === undefined) return;
    documents.change(textDocument.uri, textDocument.version, contentChanges);
    scheduleValidation(textDocument.uri);
  }),
);

connection.onDidCloseTextDocument(
  guarded('didClose', undefined, ({ textDocument }) => {
    documents.close(textDocument.uri);
    published.delete(textDocument.uri);
    const timer = pending.get(textDocument.uri);
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
      pending.delete(textDocument.uri);
    }
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  }),
);

connection.onCompletion(
  guarded('completion', [], ({ textDocument, position }) => {
    const doc = documents.around(textDocument.uri, documents.offsetAt(textDocument.uri, position));
    return doc ? complete(doc, position, featureOptions(textDocument.uri)) : [];
  }),
);

connection.onHover(
  guarded('hover', null, ({ textDocument, position }) => {
    const doc = documents.around(textDocument.uri, documents.offsetAt(textDocument.uri, position));
    return doc ? hover(doc, position, featureOptions(textDocument.uri)) : null;
  }),
);

connection.onDocumentSymbol(
  guarded('documentSymbol', [], ({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? symbols(doc) : [];
  }),
);

connection.onCodeLens(
  guarded('codeLens', [], ({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? codeLenses(doc, results.resultsFor(textDocument.uri)) : [];
  }),
);

connection.onCodeAction(
  guarded('codeAction', [], ({ textDocument, context }) => {
    // Where the fixes apply comes from each diagnostic's data, never from the client's range;
    // data published for an earlier version is brought up to date from the current diagnostics.
    const text = documents.text(textDocument.uri);
    if (text === undefined || fixOffsets(context.diagnostics).length === 0) return [];
    const diagnostics = withCurrentFixData(context.diagnostics, () => currentDiagnostics(textDocument.uri), text);
    const doc = documents.around(textDocument.uri, fixOffsets(diagnostics));
    return doc ? codeActions(doc, diagnostics) : [];
  }),
);

connection.onRequest(
  DocumentModelRequest,
  guarded('documentModel', null, ({ uri }) => {
    const doc = documents.get(uri);
    const version = documents.version(uri);
    return doc && version !== undefined ? documentModel(doc, version) : null;
  }),
);

// Results files are written by assert runs and destroy, the editor's or a terminal's: the
// client watches them (registered here when it can be) and CodeLens follows.
connection.onInitialized(() => {
  if (!watchRegistrationSupported) return;
  void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: RESULTS_GLOB }] }).catch(() => undefined);
});

connection.onDidChangeWatchedFiles(
  guarded('didChangeWatchedFiles', undefined, ({ changes }) => {
    const projects = new Set(changes.flatMap((change) => resultsFileProject(change.uri) ?? []));
    for (const projectDir of projects) results.invalidate(projectDir);
    if (projects.size > 0) refreshCodeLenses();
  }),
);

// Plan, Apply, Assert, Destroy, Generate and Setup for the editor (issue 7): lsp/runRequests.ts.
const runs = registerRunRequests(connection);

// The same runs through workspace/executeCommand, for every other editor (issue 17).
registerExecuteCommand(connection, {
  runs,
  trusted: () => clientOptions.trusted,
  onAssertResults: (uri, failures) => {
    if (failures.length > 0) assertFailures.set(uri, failures);
    else assertFailures.delete(uri);
    // The run rewrote the results file; a client that watches no files learns it here.
    results.invalidate(path.dirname(fileURLToPath(uri)));
    refreshCodeLenses();
    if (documents.version(uri) !== undefined) validateNow(uri);
  },
});

// A promise nobody awaited that fails (a client that does not answer a server request) is
// logged, never fatal: the server keeps serving the editor.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

connection.listen();
