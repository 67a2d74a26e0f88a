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
  type CodeAction,
  type CompletionItem,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import type { RecordedResults } from '../../../server/src/pipeline/assert/resultsFile.js';
import { DocumentModelRequest } from '../../../server/src/protocol.js';
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
});
