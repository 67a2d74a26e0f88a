import * as assert from 'node:assert/strict';
import { runBadInputTable, type BadInputRow } from '../../hardening/badInput.js';

// Hardening item 3: every row of the bad-input table (the table has no count: it runs whole).
describe('hardening: the bad-input table', function () {
  this.timeout(180_000);
  let rows: BadInputRow[] = [];

  before(async () => {
    rows = await runBadInputTable();
  });

  const names = [
    'syntax error', 'exception at load', 'endless loop at load', 'no resources', 'wrong types', 'duplicate names', 'bad port', 'bad mode',
    'bad regex', 'bad URL', 'AI endpoint down', 'AI 401', 'AI 429 after retries', 'AI junk', 'pyinfra missing', 'docker missing (apply)',
    'docker missing (assert)', 'deploy fails half-way', 'corrupted state.json',
  ];
  for (const name of names) {
    it(name, function () {
      const row = rows.find((candidate) => candidate.row === name);
      assert.ok(row, `no row ${name}`);
      if (row.status === 'skip') {
        console.log(`      (skipped: ${row.detail})`);
        this.skip();
      }
      assert.equal(row.status, 'pass', row.detail);
    });
  }
});
