import * as assert from 'node:assert/strict';
import { runHostileStrings } from '../../hardening/hostileStrings.js';
import { freshSeed } from '../../hardening/random.js';
import { findPyinfra } from '../../support/pyinfra.js';
import { partlySkipped } from '../../support/tools.js';

// The reduced run of hardening item 2.
describe('hardening: hostile strings end to end (reduced)', function () {
  this.timeout(180_000);

  it('compiles, py_compiles and sh-checks 60 hostile cases (20 deployed with PyInfra when installed): exact values, no injection', async () => {
    const seed = freshSeed();
    if (!findPyinfra()) partlySkipped('the PyInfra deploy of 20 cases: pyinfra is not installed (compile and sh checks still run)');
    const f = await runHostileStrings({ cases: 60, seed, batch: 20, deployCases: 20 });
    console.log(`      seed ${seed}: ${f.cases} cases, ${f.valuesThrough} values through, ${f.filesDeployed} deployed, ${f.shChecks} sh checks`);
    assert.deepEqual(f.failures, [], `seed ${seed}`);
    assert.equal(f.cases, 60);
    assert.equal(f.injections, 0);
    assert.equal(f.literalMismatches, 0);
    assert.equal(f.contentMismatches, 0);
    assert.equal(f.shBroken, 0);
    assert.equal(f.shChecks, 60 * 5);
    if (f.pyinfra) assert.equal(f.filesDeployed, 20);
  });
});
