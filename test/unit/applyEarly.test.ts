/**
 * Apply and assert start PyInfra before they have compiled clockwork.ts again, on the programs
 * of their last run, paused before any operation: a paused PyInfra does nothing until "go" (and
 * nothing at all when stopped), it runs only when compiling wrote the same programs, and a
 * changed clockwork.ts is deployed (or checked) by a PyInfra started on the new programs. Real
 * PyInfra throughout.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_MODULE, RESULTS_MODULE_NAME, writeInventory, writeProgram } from '../../server/src/codegen/pyinfra.js';
import { waitsBeforeAnything } from '../../server/src/codegen/waits.js';
import { apply } from '../../server/src/pipeline/apply.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import { startPyinfraPaused } from '../../server/src/pipeline/pyinfra/run.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { makeProject, removeProjects } from '../support/tempProject.js';
import { requirePyinfra } from '../support/tools.js';

/** Pids of live processes running in `dir` whose command line contains `word`. */
function processesIn(dir: string, word: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(word)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** A folder with a program whose one operation creates `marker`. */
function markerProgram(marker: string): string {
  const dir = makeProject({});
  fs.writeFileSync(path.join(dir, 'inventory.py'), writeInventory(['@local']));
  fs.writeFileSync(path.join(dir, `${RESULTS_MODULE_NAME}.py`), RESULTS_MODULE);
  const program = writeProgram({
    fileName: 'deploy.py',
    purpose: 'Touches a marker.',
    operations: [{ name: 'touch the marker', call: 'files.file', args: { path: { literal: marker }, present: { literal: true } } }],
  });
  assert.ok(waitsBeforeAnything(program));
  fs.writeFileSync(path.join(dir, 'deploy.py'), program);
  return dir;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('apply starts PyInfra early, paused', function () {
  this.timeout(90_000);
  after(removeProjects);

  it('recognises the programs it writes, and nothing that could act before the wait', () => {
    const program = writeProgram({ fileName: 'deploy.py', purpose: 'x', operations: [{ name: 'a', call: 'server.shell', args: { commands: { literal: ['true'] } } }] });
    assert.equal(waitsBeforeAnything(program), true);
    assert.equal(waitsBeforeAnything(program.replace('clockwork_results.record_when_asked()\n', '')), false, 'no wait');
    assert.equal(waitsBeforeAnything(`import os\nos.system("touch /tmp/x")\n${program}`), false, 'code before the wait');
    assert.equal(waitsBeforeAnything(program.replace('import clockwork_results', 'import clockwork_results, subprocess')), false);
  });

  it('does nothing while paused, nothing when stopped, and runs the program on "go"', async function () {
    const pyinfra = requirePyinfra(this);
    const stoppedMarker = path.join(makeProject({}), 'stopped');
    const stoppedDir = markerProgram(stoppedMarker);
    const lines: string[] = [];
    const stopped = startPyinfraPaused({ pyinfra, cwd: stoppedDir, inventory: 'inventory.py', program: 'deploy.py', onOutput: (line) => lines.push(line) });
    // Far longer than PyInfra needs to start, connect and load the program.
    await sleep(4000);
    assert.equal(fs.existsSync(stoppedMarker), false, 'an operation ran before "go"');
    await stopped.stop();
    assert.equal(fs.existsSync(stoppedMarker), false);
    assert.deepEqual(lines, [], 'a stopped run shows no output');
    assert.deepEqual(processesIn(stoppedDir, 'pyinfra'), []);

    const marker = path.join(makeProject({}), 'done');
    const dir = markerProgram(marker);
    const shown: string[] = [];
    const paused = startPyinfraPaused({ pyinfra, cwd: dir, inventory: 'inventory.py', program: 'deploy.py', onOutput: (line) => shown.push(line) });
    await sleep(1500);
    assert.equal(fs.existsSync(marker), false);
    const run = await paused.go();
    assert.equal(run.exitCode, 0, run.outputTail.join('\n'));
    assert.equal(fs.existsSync(marker), true);
    assert.ok(shown.some((line) => line.includes('Loading inventory')), 'the output held while paused is shown after "go"');
    assert.deepEqual(run.hosts.map((host) => host.operations.map((operation) => [operation.names[0], operation.success])), [[['touch the marker', true]]]);
  });

  it('deploys what clockwork.ts declares now, whether the last programs still fit or not', async function () {
    const pyinfra = requirePyinfra(this);
    const project = (content: string): string => `import { FileResource } from 'clockwork';
export default [
  new FileResource({ name: 'a.txt', directory: 'out', content: ${JSON.stringify(content)} }),
  new FileResource({ name: 'b.txt', directory: 'out', content: 'b' }),
];
`;
    const dir = makeProject({ 'clockwork.ts': project('first') });
    const settings = resolveSettings({ projectDir: dir, environment: { PYINFRA_PATH: pyinfra } });
    const first = await apply({ settings });
    assert.equal(first.ok, true, first.error);
    assert.equal(first.counts.created, 2);
    // Unchanged: the PyInfra started early runs.
    const again = await apply({ settings });
    assert.equal(again.ok, true, again.error);
    assert.deepEqual([again.counts.changed, again.counts.unchanged], [0, 2]);
    // Changed: the early PyInfra (on the old program) is stopped; the new program deploys.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), project('second'));
    const changed = await apply({ settings });
    assert.equal(changed.ok, true, changed.error);
    assert.deepEqual([changed.counts.changed, changed.counts.unchanged], [1, 1]);
    assert.equal(fs.readFileSync(path.join(dir, 'out/a.txt'), 'utf8'), 'second');
    // Bad input: the early PyInfra is stopped, nothing deployed, no process left.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), `${project('third')}\nnew FileResource({ name: 'c.txt', mode: 'rwx' });\n`);
    await assert.rejects(apply({ settings }), /mode/);
    assert.equal(fs.readFileSync(path.join(dir, 'out/a.txt'), 'utf8'), 'second');
    await sleep(200);
    assert.deepEqual(processesIn(path.join(dir, '.clockwork/pyinfra'), 'pyinfra'), []);
  });

  it('checks the assertions clockwork.ts declares now, whether the last assert.py still fits or not', async function () {
    const pyinfra = requirePyinfra(this);
    const project = (file: string): string => `import { FileExistsAssert, FileResource } from 'clockwork';
export default [new FileResource({ name: 'a.txt', content: 'a', assertions: [new FileExistsAssert({ path: ${JSON.stringify(file)}, timeoutSeconds: 0.5 })] })];
`;
    const dir = makeProject({ 'clockwork.ts': project('a.txt'), 'a.txt': 'a' });
    const settings = resolveSettings({ projectDir: dir, environment: { PYINFRA_PATH: pyinfra } });
    const statuses = async (): Promise<string[]> => (await runAssertions({ settings, runner: 'pyinfra' })).results.map((result) => `${result.actual} ${result.status}`);
    assert.deepEqual(await statuses(), ['exists passed']);
    // Unchanged: the PyInfra started early on assert.py runs it.
    assert.deepEqual(await statuses(), ['exists passed']);
    // Changed: that PyInfra (on the old checks, which would pass) is stopped; the new ones run.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), project('missing.txt'));
    assert.deepEqual(await statuses(), ['missing failed']);
    await sleep(200);
    assert.deepEqual(processesIn(path.join(dir, '.clockwork/pyinfra'), 'pyinfra'), []);
  });
});
