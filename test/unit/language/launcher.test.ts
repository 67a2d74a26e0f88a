/**
 * The launcher (`dist/server.cjs`) loads the server through a per-user V8 code cache: it
 * writes one, uses it, and survives a cache that is garbage (V8 rejects it; the server
 * compiles as usual and writes a good one).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import { STARTER_CLOCKWORK_TS } from '../../../server/src/protocol.js';
import { startLanguageServer } from '../../support/lspClient.js';
import { makeProject, removeProjects, repoRoot } from '../../support/tempProject.js';

describe('language server launcher and its compile cache', function () {
  this.timeout(60_000);
  after(removeProjects);

  const diagnosticsAfterStart = async (cacheHome: string): Promise<number> => {
    const session = await startLanguageServer({ env: { XDG_CACHE_HOME: cacheHome } });
    try {
      const uri = 'file:///launcher/clockwork.ts';
      const published = session.nextDiagnostics(uri, 1);
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'typescript', version: 1, text: STARTER_CLOCKWORK_TS.replace("name: 'hello.txt'", "nmae: 'hello.txt'") },
      });
      return (await published).diagnostics.length;
    } finally {
      assert.equal(await session.stop(), 0);
    }
  };

  it('writes the cache, starts from it, and starts from a garbage cache too', async () => {
    const cacheHome = makeProject({});
    const cacheDir = path.join(cacheHome, 'clockwork', 'compile-cache');
    assert.equal(await diagnosticsAfterStart(cacheHome), 2);
    const [cacheFile] = fs.readdirSync(cacheDir);
    assert.match(String(cacheFile), /^language-server\.cjs-[0-9a-f]{8}-\d+-\d+-v\d+\.\d+\.\d+-\w+\.bin$/);
    const written = fs.statSync(path.join(cacheDir, cacheFile!)).size;
    assert.ok(written > 100_000, `${written} bytes`);
    assert.equal(await diagnosticsAfterStart(cacheHome), 2);
    fs.writeFileSync(path.join(cacheDir, cacheFile!), 'not a V8 code cache');
    assert.equal(await diagnosticsAfterStart(cacheHome), 2);
    assert.ok(fs.statSync(path.join(cacheDir, cacheFile!)).size > 100_000, 'the garbage was replaced by a real cache');
  });

  it('says how to start it when no transport is given, instead of a stack trace', async () => {
    const run = await execa(process.execPath, [path.join(repoRoot, 'dist/server.cjs')], { reject: false, stdin: 'ignore' });
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /^clockwork-language-server: no transport given\.\n\nUsage: clockwork-language-server --stdio/);
  });
});
