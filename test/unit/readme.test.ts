/** The README's tables list every resource and assertion kind the registry has. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertionDefinitions, resourceDefinitions } from '../../server/src/model/registry.js';
import { repoRoot } from '../support/tempProject.js';

describe('README', () => {
  it('has a table row for every resource and assertion kind', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = new Set([...readme.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]));
    for (const definition of [...resourceDefinitions, ...assertionDefinitions]) {
      assert.ok(rows.has(definition.kind), `README.md has no table row for ${definition.kind}`);
    }
  });
});
