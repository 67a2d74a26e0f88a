import * as assert from 'node:assert/strict';
import { runCancellation, type CancellationFigures } from '../../hardening/cancellation.js';
import { skipOrFail } from '../../support/tools.js';

// The reduced run of hardening item 4 (40 file resources; the full run uses more).
describe('hardening: idempotence and cancellation (reduced)', function () {
  this.timeout(180_000);
  let figures: CancellationFigures;

  before(async function () {
    figures = await runCancellation({ files: 40 });
    if (figures.skipped) skipOrFail(this, figures.skipped);
    console.log(`      tree gone: CLI SIGINT ${Math.round(figures.cli.treeGoneMs)} ms, AbortSignal ${Math.round(figures.signal.treeGoneMs)} ms`);
  });

  it('a second apply changes nothing', () => assert.equal(figures.secondApplyChanged, 0));
  for (const way of ['cli', 'signal'] as const) {
    it(`${way === 'cli' ? 'SIGINT to the CLI' : 'the AbortSignal'}: the PyInfra tree is gone within 2 s, no lock is left, the state lists only what exists`, () => {
      const c = figures[way];
      assert.ok(c.treeSize > 0, 'PyInfra was running when the cancel was sent');
      assert.ok(c.treeGoneMs <= 2000, `gone after ${c.treeGoneMs} ms`);
      assert.equal(c.lockLeft, false);
      assert.equal(c.stateInconsistent, 0);
    });
  }
  it('the next apply completes, every file right', () => assert.ok(figures.nextApplyOk, figures.failures.join('\n')));
  // Known bug (reported): PyInfra is stopped with SIGTERM, its results callback never runs, so the
  // files the cancelled run had already written are not recorded and destroy would miss them.
  it('records every file a cancelled apply had already created, so destroy can remove them', () => {
    assert.equal(figures.cli.unrecorded + figures.signal.unrecorded, 0);
  });
});
