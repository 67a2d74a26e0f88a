/**
 * A real LSP conversation with the built server (dist/server.cjs, rebuilt by the mocha
 * global setup): initialize, open a broken file, receive diagnostics, complete inside
 * `assertions: [ ]`, apply a quick fix, see the diagnostics clear, shut down.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  DocumentSymbolRequest,
  HoverRequest,
  ErrorCodes,
  ExecuteCommandRequest,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type CodeAction,
  type CompletionItem,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { NOT_TRUSTED_MESSAGE } from '../../../server/src/lsp/executeCommand.js';
import { typeDeclarations } from '../../../server/src/model/typeDeclarations.js';
import type { RecordedResults } from '../../../server/src/pipeline/assert/resultsFile.js';
import {
  DocumentModelChangedNotification,
  DocumentModelRequest,
  STARTER_CLOCKWORK_TS,
  starterFiles,
  VSCODE_INITIALIZATION_OPTIONS,
} from '../../../server/src/protocol.js';
import { startLanguageServer, type LspSession } from '../../support/lspClient.js';
import { makeProject, removeProjects } from '../../support/tempProject.js';
import { positionAfter } from './helpers.js';

const broken = `import { DockerServiceResource } from "clockwork";

export default [
  new DockerServiceResource({
    name: "web",
    image: "nginx:1.27-alpine",
    ports: ["127.0.0.1:8080:80"],
    prots: ["8081:81"],
    assertions: [],
  }),
];
`;

describe('language server over stdio', function () {
  this.timeout(30_000);
  let session: LspSession;
  let uri: string;
  let projectDir: string;

  before(async () => {
    projectDir = makeProject({ 'clockwork.ts': broken });
    uri = pathToFileURL(path.join(projectDir, 'clockwork.ts')).href;
    session = await startLanguageServer({ rootUri: pathToFileURL(projectDir).href });
  });

  after(async () => {
    if (session.process.exitCode === null) await session.stop();
    removeProjects();
  });

  it('holds a whole conversation: diagnostics, completion, quick fix, shutdown', async () => {
    const connection = session.connection;
    const opened = session.nextDiagnostics(uri, 1);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text: broken },
    });
    const first = await opened;
    assert.deepEqual(
      first.diagnostics.map((d) => [d.range, d.message, d.source]),
      [
        [
          { start: { line: 7, character: 4 }, end: { line: 7, character: 9 } },
          'unknown property "prots" of DockerServiceResource; did you mean "ports"?',
          'clockwork',
        ],
      ],
    );

    const completion = await connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: positionAfter(broken, 'assertions: ['),
    });
    const items = (Array.isArray(completion) ? completion : (completion?.items ?? [])) as CompletionItem[];
    assert.equal(items[0]?.label !== undefined, true);
    const healthcheck = items.find((item) => item.label === 'HealthcheckAssert');
    assert.equal((healthcheck?.textEdit as { newText: string }).newText, 'new HealthcheckAssert({ url: "http://localhost:${1:8080}" })');
    assert.ok(healthcheck?.additionalTextEdits?.some((edit) => edit.newText === ', HealthcheckAssert'));

    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAfter(broken, 'image', 1) });
    assert.match((hover?.contents as { value: string }).value, /^\*\*image\*\*\?: `string`/);

    const outline = await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.deepEqual(outline?.map((symbol) => symbol.name), ['web']);

    const model = await connection.sendRequest(DocumentModelRequest, { uri });
    assert.deepEqual(model?.resources.map((resource) => [resource.name, resource.kind]), [['web', 'DockerServiceResource']]);

    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: first.diagnostics[0]!.range,
      context: { diagnostics: first.diagnostics },
    })) as CodeAction[];
    assert.equal(actions[0]?.title, 'Change to "ports"');
    const edits = actions[0]?.edit?.changes?.[uri] ?? [];
    const cleared = session.nextDiagnostics(uri, 2);
    const changes: TextDocumentContentChangeEvent[] = edits.map((edit) => ({ range: edit.range, text: edit.newText }));
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: changes });
    // After the rename two `ports` publish 8080 and 8081: the object has ports twice, the last wins.
    const after = await cleared;
    assert.deepEqual(after.diagnostics, []);

    assert.equal(await session.stop(), 0);
  });

  it('shows recorded results in CodeLens and asks the client to refresh when the watched results file changes', async () => {
    const local = await startLanguageServer({ codeLensRefresh: true });
    let refreshed: () => void = () => undefined;
    local.connection.onRequest(CodeLensRefreshRequest.method, () => {
      refreshed();
      return null;
    });
    const nextRefresh = (): Promise<void> => new Promise((resolve) => (refreshed = resolve));
    const resultsPath = path.join(projectDir, '.clockwork', 'results.json');
    const changed = (type: FileChangeType): Promise<void> =>
      local.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(resultsPath).href, type }] });
    try {
      const opened = local.nextDiagnostics(uri, 1);
      await local.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'typescript', version: 1, text: broken },
      });
      await opened;
      const titles = async (): Promise<string[]> =>
        ((await local.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []).map((lens) => lens.command?.title ?? '');
      assert.deepEqual(await titles(), ['Apply', 'Assert', 'Destroy']);
      const results: RecordedResults = {
        version: 1,
        files: {
          'clockwork.ts': {
            resources: [
              {
                name: 'web',
                kind: 'DockerServiceResource',
                checkedAt: new Date().toISOString(),
                assertions: [{ kind: 'HealthcheckAssert', index: 0, status: 'failed', message: 'got 502' }],
              },
            ],
          },
        },
      };
      // Whoever wrote the file (the editor's run, a terminal's `clockwork assert`), the client's watcher says so.
      fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
      fs.writeFileSync(resultsPath, JSON.stringify(results));
      const created = nextRefresh();
      await changed(FileChangeType.Created);
      await created;
      assert.deepEqual(await titles(), ['Apply', 'Assert', 'Destroy', '✗ 1 failed']);
      results.files['clockwork.ts']!.resources[0]!.assertions[0]!.status = 'passed';
      fs.writeFileSync(resultsPath, JSON.stringify(results));
      const updated = nextRefresh();
      await changed(FileChangeType.Changed);
      await updated;
      assert.deepEqual(await titles(), ['Apply', 'Assert', 'Destroy', '✓ 1/1 assertion']);
      // Destroy removed the results: the summary goes.
      fs.rmSync(resultsPath);
      const deleted = nextRefresh();
      await changed(FileChangeType.Deleted);
      await deleted;
      assert.deepEqual(await titles(), ['Apply', 'Assert', 'Destroy']);
    } finally {
      await local.stop();
    }
  });

  it('survives a malformed request and keeps answering', async () => {
    const local = await startLanguageServer();
    try {
      // A position far outside the document and an unknown document: empty answers, no crash.
      const none = await local.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: 'file:///nowhere/clockwork.ts' },
        position: { line: 999, character: 5 },
      });
      assert.deepEqual(none, []);
      const opened = local.nextDiagnostics(uri, 1);
      await local.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'typescript', version: 1, text: 'export default [new DockerServiceResource({ name: ' },
      });
      const diagnostics = await opened;
      assert.deepEqual(diagnostics.diagnostics.map((d) => d.code), ['missing-import']);
      const items = await local.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 40, character: 80 } });
      assert.deepEqual(items, []);
    } finally {
      assert.equal(await local.stop(), 0);
    }
  });

  it('answers a request after shutdown with InvalidRequest, then exits with 0 on exit', async () => {
    const local = await startLanguageServer();
    await local.connection.sendRequest('shutdown');
    await assert.rejects(
      local.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }),
      (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidRequest && /shutting down/.test(error.message),
    );
    await assert.rejects(local.connection.sendRequest(DocumentModelRequest, { uri }), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidRequest);
    const exited = new Promise<number | null>((resolve) => local.process.once('exit', resolve));
    await local.connection.sendNotification('exit');
    assert.equal(await exited, 0);
    local.connection.dispose();
  });

  it('sends its custom notifications only to a client that said it handles them', async () => {
    const heard = async (initializationOptions: unknown): Promise<string[]> => {
      const local = await startLanguageServer({ initializationOptions });
      const methods: string[] = [];
      local.connection.onNotification(DocumentModelChangedNotification, () => void methods.push(DocumentModelChangedNotification.method));
      try {
        const opened = local.nextDiagnostics(uri, 1);
        await local.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: broken } });
        await opened;
        // The model notification goes out right after the diagnostics: give it a moment to arrive.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return methods;
      } finally {
        await local.stop();
      }
    };
    assert.deepEqual(await heard(undefined), []);
    assert.deepEqual(await heard({ clockwork: { notifications: 'all' } }), []);
    assert.deepEqual(await heard(VSCODE_INITIALIZATION_OPTIONS), ['clockwork/documentModelChanged']);
  });

  it('completes with plain text for a client without snippet support', async () => {
    const local = await startLanguageServer({ snippetSupport: false });
    try {
      await local.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: broken } });
      const completion = await local.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAfter(broken, 'assertions: [') });
      const items = (Array.isArray(completion) ? completion : (completion?.items ?? [])) as CompletionItem[];
      const healthcheck = items.find((item) => item.label === 'HealthcheckAssert');
      assert.equal((healthcheck?.textEdit as { newText: string }).newText, 'new HealthcheckAssert({ url: "http://localhost:8080" })');
      assert.ok(items.every((item) => item.insertTextFormat !== 2));
    } finally {
      await local.stop();
    }
  });

  it('leaves to TypeScript what it reports once the project has the declarations clockwork init writes, in a client that runs it', async () => {
    const typo = STARTER_CLOCKWORK_TS.replace("content: 'Hello", "contnet: 'Hello").replace("pattern: 'Hello'", "pattern: '('");
    const codes = async (files: Record<string, string>, initializationOptions?: unknown, at = 'clockwork.ts'): Promise<string[]> => {
      const dir = makeProject({ [at]: typo, ...files });
      const fileUri = pathToFileURL(path.join(dir, at)).href;
      const local = await startLanguageServer(initializationOptions === undefined ? {} : { initializationOptions });
      try {
        const opened = local.nextDiagnostics(fileUri, 1);
        await local.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: fileUri, languageId: 'typescript', version: 1, text: typo } });
        return (await opened).diagnostics.map((diagnostic) => String(diagnostic.code));
      } finally {
        await local.stop();
      }
    };
    const declarations = Object.fromEntries(starterFiles(() => undefined, typeDeclarations()).filter((file) => file.path !== 'clockwork.ts').map((file) => [file.path, file.text]));
    // Without the declarations TypeScript cannot tell: Clockwork reports the typo.
    assert.deepEqual(await codes({}), ['unknown-property', 'schema']);
    // With them, VS Code's TypeScript reports it (ts 2561): Clockwork keeps only the bad pattern.
    assert.deepEqual(await codes(declarations), ['schema']);
    // A clockwork.ts in a subfolder is not in that tsconfig's project: TypeScript cannot tell there.
    assert.deepEqual(await codes(declarations, undefined, 'sub/clockwork.ts'), ['unknown-property', 'schema']);
    // A client that runs no TypeScript server (Neovim with only Clockwork) gets everything.
    assert.deepEqual(await codes(declarations, { clockwork: { notifications: [] } }), ['unknown-property', 'schema']);
  });

  it('offers Apply, Assert and Destroy through workspace/executeCommand to other editors only, and runs nothing untrusted', async () => {
    const vscode = await startLanguageServer();
    try {
      // The VS Code extension runs these commands itself: offering them would register them twice.
      assert.equal(vscode.initializeResult.capabilities.executeCommandProvider, undefined);
    } finally {
      await vscode.stop();
    }
    const other = await startLanguageServer({ initializationOptions: undefined });
    try {
      assert.deepEqual(other.initializeResult.capabilities.executeCommandProvider?.commands, ['clockwork.apply', 'clockwork.assert', 'clockwork.destroy']);
      const said: { type: number; message: string }[] = [];
      other.connection.onNotification(ShowMessageNotification.type, (params) => void said.push(params));
      const dir = makeProject({ 'clockwork.ts': STARTER_CLOCKWORK_TS });
      const fileUri = pathToFileURL(path.join(dir, 'clockwork.ts')).href;
      const result = await other.connection.sendRequest(ExecuteCommandRequest.type, { command: 'clockwork.apply', arguments: [{ uri: fileUri, resource: 'hello.txt' }] });
      assert.equal(result, null);
      assert.deepEqual(said, [{ type: MessageType.Warning, message: NOT_TRUSTED_MESSAGE }]);
      assert.equal(fs.existsSync(path.join(dir, 'scratch')), false);
      assert.equal(fs.existsSync(path.join(dir, '.clockwork')), false);
    } finally {
      await other.stop();
    }
  });
});
