/**
 * The layer rules of docs/ARCHITECTURE.md hold: `npm run lint`'s own configuration (eslint.config.mjs),
 * run through ESLint's Node API on small in-memory sources placed in each layer, rejects the
 * imports a layer may not make and accepts the ones it may.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/tempProject.js';

/** The `no-restricted-imports` messages ESLint reports for `source` placed at `file`. */
async function restrictedImports(eslint: ESLint, file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, file) });
  assert.ok(result, `ESLint linted ${file}`);
  const fatal = result.messages.filter((message) => message.fatal);
  assert.deepEqual(fatal, [], `${file} parses`);
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layer rules (eslint.config.mjs)', function () {
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: repoRoot });
  });

  const rejects = (file: string, source: string, reason: RegExp) =>
    it(`rejects in ${file}: ${source.split('\n')[0]}`, async () => {
      const messages = await restrictedImports(eslint, file, source);
      assert.equal(messages.length, 1, `one layer error, got ${JSON.stringify(messages)}`);
      assert.match(messages[0] ?? '', reason);
    });
  const accepts = (file: string, source: string) =>
    it(`accepts in ${file}: ${source.split('\n')[0]}`, async () => {
      assert.deepEqual(await restrictedImports(eslint, file, source), []);
    });

  describe('a vscode import anywhere under server/', () => {
    const vscode = "import * as vscode from 'vscode';\nexport const window = vscode.window;\n";
    for (const file of [
      'server/src/pipeline/layerProbe.ts',
      'server/src/pipeline/run/layerProbe.ts',
      'server/src/model/layerProbe.ts',
      'server/src/codegen/layerProbe.ts',
      'server/src/language/layerProbe.ts',
      'server/src/lsp/layerProbe.ts',
      'server/src/cli/layerProbe.ts',
      'server/src/render/layerProbe.ts',
      'server/src/server.ts',
      'server/src/aNewFolder/layerProbe.ts',
    ]) {
      rejects(file, vscode, /vscode is imported only in client/);
    }
    rejects('server/src/lsp/layerProbe.ts', "import { LanguageClient } from 'vscode-languageclient/node';\nexport const c = LanguageClient;\n", /only in client/);
  });

  describe('the model and codegen', () => {
    rejects('server/src/model/assertions/layerProbe.ts', "import { checkScript } from '../../codegen/checks.js';\nexport const s = checkScript;\n", /the model knows only zod/);
    rejects('server/src/model/layerProbe.ts', "import { apply } from '../pipeline/apply.js';\nexport const a = apply;\n", /the model knows only zod/);
    accepts('server/src/model/layerProbe.ts', "import { z } from 'zod';\nexport const s = z.string();\n");
    accepts('server/src/codegen/layerProbe.ts', "import type { PyinfraCall } from '../model/operations.js';\nimport { sh } from '../model/check.js';\nexport type C = PyinfraCall;\nexport const t = sh;\n");
    rejects('server/src/codegen/layerProbe.ts', "import { resourceDefinitions } from '../model/registry.js';\nexport const r = resourceDefinitions;\n", /codegen reads only the model's data types/);
    rejects('server/src/codegen/layerProbe.ts', "import { readState } from '../pipeline/state.js';\nexport const r = readState;\n", /codegen turns data into code/);
  });

  describe('the pipeline, the language features, the language server and the CLI', () => {
    rejects('server/src/pipeline/layerProbe.ts', "import { hover } from '../language/hover.js';\nexport const h = hover;\n", /the pipeline knows nothing of the editor/);
    rejects('server/src/pipeline/ai/layerProbe.ts', "import { RunRequest } from '../../protocol.js';\nexport const r = RunRequest;\n", /speak the protocol/);
    accepts('server/src/pipeline/loader/layerProbe.ts', "import type { LoadReply } from './protocol.js';\nexport type R = LoadReply;\n");
    rejects('server/src/language/layerProbe.ts', "import { apply } from '../pipeline/apply.js';\nexport const a = apply;\n", /pure functions over a parsed document/);
    rejects('server/src/lsp/layerProbe.ts', "import { main } from '../cli/main.js';\nexport const m = main;\n", /without the CLI/);
    accepts('server/src/lsp/layerProbe.ts', "import type { Connection } from 'vscode-languageserver/node';\nimport { apply } from '../pipeline/apply.js';\nimport { RunRequest } from '../protocol.js';\nexport type C = Connection;\nexport const a = [apply, RunRequest];\n");
    rejects('server/src/render/layerProbe.ts', "import { RunRequest } from '../protocol.js';\nexport const r = RunRequest;\n", /speak the protocol/);
    rejects('server/src/render/layerProbe.ts', "import { cliReporter } from '../cli/report.js';\nexport const r = cliReporter;\n", /knows neither/);
    rejects('server/src/cli/layerProbe.ts', "import { RunRequest } from '../protocol.js';\nexport const r = RunRequest;\n", /speak the protocol/);
  });

  describe('the client', () => {
    rejects('client/src/layerProbe.ts', "import { apply } from '../../server/src/pipeline/apply.js';\nexport const a = apply;\n", /only through server\/src\/protocol\.ts/);
    rejects('client/src/layerProbe.ts', "import { loadProject } from '../../server/src/pipeline/loader/load.js';\nexport const l = loadProject;\n", /only through server\/src\/protocol\.ts/);
    rejects('client/src/layerProbe.ts', "import { hover } from '../../server/src/language/hover.js';\nexport const h = hover;\n", /only through server\/src\/protocol\.ts/);
    rejects('client/src/layerProbe.ts', "import { execa } from 'execa';\nexport const e = execa;\n", /vscode, vscode-languageclient and the protocol only/);
    accepts(
      'client/src/layerProbe.ts',
      "import * as vscode from 'vscode';\nimport { LanguageClient } from 'vscode-languageclient/node';\nimport { RunRequest } from '../../server/src/protocol.js';\nexport const all = [vscode, LanguageClient, RunRequest];\n",
    );
  });
});
