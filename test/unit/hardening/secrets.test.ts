import * as assert from 'node:assert/strict';
import { runSecrets } from '../../hardening/secrets.js';
import { findPyinfra } from '../../support/pyinfra.js';
import { partlySkipped } from '../../support/tools.js';

// The reduced run of hardening item 5 (three CLI scenarios, two language-server ones).
describe('hardening: the API key never shows (reduced)', function () {
  this.timeout(180_000);

  it('is in no output, log, reply or file under .clockwork/ after every command, with the AI answering, refusing (401) and down', async () => {
    if (!findPyinfra()) partlySkipped('the deploys through PyInfra: pyinfra is not installed (the key is still searched for where the runs stop)');
    const f = await runSecrets({ full: false });
    console.log(`      ${f.cliRuns} CLI runs, ${f.serverRuns} server runs, ${f.bytesSearched} bytes and ${f.filesSearched} files searched`);
    assert.deepEqual(f.failures, []);
    assert.equal(f.occurrences, 0);
    assert.ok(f.cliRuns >= 15 && f.filesSearched > 0);
  });
});
