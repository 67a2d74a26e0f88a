import * as assert from 'node:assert/strict';
import { runBadInputTable, type BadInputRow } from '../../hardening/badInput.js';
import { REFUSED_CASES } from '../../hardening/refusedAtLoad.js';
import { skipOrFail } from '../../support/tools.js';

// Hardening item 3: every row of the bad-input table (the table has no count: it runs whole).
describe('hardening: the bad-input table', function () {
  this.timeout(300_000);
  let rows: BadInputRow[] = [];

  before(async () => {
    rows = await runBadInputTable();
  });

  const names = [
    'syntax error', 'exception at load', 'endless loop at load', 'no resources', 'wrong types', 'duplicate names', 'bad port', 'bad mode',
    'bad regex', 'bad URL', 'AI endpoint down', 'AI 401', 'AI 429 after retries', 'AI junk', 'pyinfra missing', 'docker missing (apply)',
    'docker missing (assert)', 'deploy fails half-way', 'corrupted state.json',
    // Issue 11: refused at load with an exact message, or working exactly.
    ...REFUSED_CASES.map((refused) => refused.row),
    'file name of exactly 255 bytes', 'NUL in content (free text)', "failed operation shows PyInfra's words", 'destroy of what is gone',
    'destroy of a container that is gone',
  ];
  for (const name of names) {
    it(name, function () {
      const row = rows.find((candidate) => candidate.row === name);
      assert.ok(row, `no row ${name}`);
      if (row.status === 'skip') skipOrFail(this, row.detail.replace(/^SKIP: /, ''));
      assert.equal(row.status, 'pass', row.detail);
    });
  }
  it('has a test for every row', () => assert.deepEqual(rows.map((row) => row.row).filter((row) => !names.includes(row)), []));
});
