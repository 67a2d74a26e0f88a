import * as assert from 'node:assert/strict';
import { runLspFuzz } from '../../hardening/lspFuzz.js';
import { freshSeed } from '../../hardening/random.js';

// The reduced run of hardening item 1 (`npm run test:hardening` runs thousands of documents).
describe('hardening: language server fuzzing (reduced)', function () {
  this.timeout(120_000);

  it('serves 150 mutated documents over stdio without a crash, a logged handler error or a reply slower than 1 s', async () => {
    const seed = freshSeed();
    const figures = await runLspFuzz({ documents: 150, seed });
    console.log(`      seed ${seed}: ${figures.documents} documents, ${figures.requests} requests, slowest ${Math.round(figures.slowestMs)} ms (${figures.slowestWhat})`);
    assert.equal(figures.documents, 150);
    assert.deepEqual(figures.failures, [], `seed ${seed}`);
    assert.equal(figures.crashes, 0);
    assert.equal(figures.handlerErrors, 0);
    assert.equal(figures.incrementalMismatches, 0);
    assert.ok(figures.slowestMs < 1000, `slowest reply ${figures.slowestMs} ms: ${figures.slowestWhat}`);
  });

  it('keeps serving a document nested deeper than the TypeScript parser can read, with a diagnostic saying so', async () => {
    const { startLanguageServer } = await import('../../support/lspClient.js');
    const { DidOpenTextDocumentNotification, DocumentSymbolRequest } = await import('vscode-languageserver-protocol/node');
    const session = await startLanguageServer();
    try {
      const uri = 'file:///deep/clockwork.ts';
      const diagnostics = session.nextDiagnostics(uri, 1);
      const text = `export default [${'['.repeat(50_000)}];\n`;
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const published = await diagnostics;
      assert.match(String(published.diagnostics[0]?.message ?? ''), /nests too deeply/);
      assert.deepEqual(await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), []);
    } finally {
      assert.equal(await session.stop(), 0);
    }
  });
});
