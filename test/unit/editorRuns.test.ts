/**
 * The language server's run support for the editor (server/src/lsp/): the type declarations
 * Init Project writes, and the editor's settings as explicit overrides. The end-to-end behaviour runs in the real VS Code (test/vscode/).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { typeDeclarations } from '../../server/src/model/typeDeclarations.js';
import { settingsFor } from '../../server/src/lsp/runCommands.js';
import { explicitSettings } from '../../server/src/pipeline/settings.js';
import { typeErrors } from '../support/typeCheck.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

describe('editor runs in the language server', () => {
  after(removeProjects);

  it('declares every class so a clockwork.ts type-checks, and rejects a wrong field type', function () {
    this.timeout(60_000);
    const dir = makeProject({
      'types/clockwork.d.ts': typeDeclarations(),
      'good.ts': fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/docker-service/clockwork.ts'), 'utf8'),
      'bad.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 1 })];\n",
    });
    const check = (file: string): string[] => typeErrors(dir, file);
    assert.deepEqual(check('good.ts'), []);
    assert.match(check('bad.ts').join('\n'), /Type 'number' is not assignable to type 'string'/);
  });

  it('passes only the settings the user set, so the environment and .env still apply to the rest', () => {
    assert.deepEqual(
      Object.entries(explicitSettings({ model: 'm', aiConcurrency: 2, pyinfraPath: '' })).filter(([, value]) => value !== undefined),
      [['OPENROUTER_MODEL', 'm'], ['CLOCKWORK_AI_CONCURRENCY', '2']],
    );
    const dir = makeProject({ '.env': 'OPENROUTER_MODEL=from-dotenv\nLOG_LEVEL=DEBUG\n' });
    const settings = settingsFor(dir, { model: 'from-vscode' });
    assert.equal(settings.model, 'from-vscode');
    assert.equal(settings.logLevel, 'DEBUG');
  });
});
