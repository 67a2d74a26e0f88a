/**
 * Folders Clockwork created: apply records them (per level below the project's folder),
 * destroy and apply's removals remove the ones left empty, a folder that existed before or
 * still holds something stays, and destroy forgets the results of what it removed. Real
 * PyInfra on @local.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apply } from '../../server/src/pipeline/apply.js';
import { readRecordedResults } from '../../server/src/pipeline/assert/resultsFile.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import { destroy, destroyPreview } from '../../server/src/pipeline/destroy.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { readStateContent } from '../../server/src/pipeline/state.js';
import { findPyinfra, skipBecause } from '../support/pyinfra.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const PROJECT = `import { FileResource, FileExistsAssert } from 'clockwork';

export default [
  new FileResource({ name: 'deep.txt', directory: 'scratch/deep', content: 'deep\\n', assertions: [new FileExistsAssert({ path: 'scratch/deep/deep.txt' })] }),
  new FileResource({ name: 'one.txt', directory: 'shared', content: '1\\n' }),
  new FileResource({ name: 'two.txt', directory: 'shared', content: '2\\n' }),
  new FileResource({ name: 'kept.txt', directory: 'existing', content: 'k\\n' }),
];
`;

describe('folders Clockwork created', function () {
  this.timeout(120_000);
  after(removeProjects);

  before(function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
  });

  it('are recorded by apply and removed once empty by destroy; folders that existed before stay', async () => {
    const dir = makeProject({ 'clockwork.ts': PROJECT, 'existing/.keep': '' });
    const settings = resolveSettings({ projectDir: dir });
    const applied = await apply({ settings });
    assert.equal(applied.ok, true, applied.error);
    const folders = readStateContent(settings.stateDir).folders.map((folder) => [folder.host, path.relative(dir, folder.path)]);
    assert.deepEqual(folders, [
      ['@local', 'scratch'],
      ['@local', 'scratch/deep'],
      ['@local', 'shared'],
    ]);
    await runAssertions({ settings, runner: 'sh' });
    assert.ok(readRecordedResults(settings.stateDir).files['clockwork.ts']?.resources.some((record) => record.name === 'deep.txt'));

    // What Destroy's confirmation lists: the folders holding what goes; .clockwork/ only when nothing is left.
    const one_ = destroyPreview(settings, ['one.txt']);
    assert.deepEqual([one_.records.map((record) => record.name), one_.folders.map((folder) => path.relative(dir, folder.path)), one_.removesStateDir], [['one.txt'], ['shared'], false]);
    const all = destroyPreview(settings);
    assert.deepEqual([all.records.length, all.folders.length, all.removesStateDir, all.generatedFiles], [4, 3, true, 0]);

    // One of two files in shared/: the folder still holds the other, so it stays (and stays recorded).
    const one = await destroy({ settings, resources: ['one.txt'] });
    assert.equal(one.ok, true, one.error);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'shared')), ['two.txt']);
    assert.ok(readStateContent(settings.stateDir).folders.some((folder) => folder.path === path.join(dir, 'shared')));

    // deep.txt's results are forgotten with it, and both levels it created go.
    const deep = await destroy({ settings, resources: ['deep.txt'], keepFiles: true });
    assert.equal(deep.ok, true, deep.error);
    assert.equal(fs.existsSync(path.join(dir, 'scratch')), false, 'scratch/ and scratch/deep/ were removed');
    assert.ok(!readRecordedResults(settings.stateDir).files['clockwork.ts']?.resources.some((record) => record.name === 'deep.txt'));

    const rest = await destroy({ settings });
    assert.equal(rest.ok, true, rest.error);
    assert.equal(fs.existsSync(path.join(dir, 'shared')), false, 'shared/ is empty now, so it goes');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'existing')), ['.keep'], 'a folder that existed before stays');
    assert.equal(fs.existsSync(settings.stateDir), false, '.clockwork/ goes without keepFiles');
  });

  it('apply removes the folder of a resource clockwork.ts no longer declares, once it is empty', async () => {
    const dir = makeProject({ 'clockwork.ts': PROJECT, 'existing/.keep': '' });
    const settings = resolveSettings({ projectDir: dir });
    assert.equal((await apply({ settings })).ok, true);
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), PROJECT.replace(/ {2}new FileResource\(\{ name: 'deep\.txt'.*\n/, ''));
    const again = await apply({ settings });
    assert.equal(again.ok, true, again.error);
    assert.equal(fs.existsSync(path.join(dir, 'scratch')), false);
    assert.deepEqual(readStateContent(settings.stateDir).folders.map((folder) => path.relative(dir, folder.path)), ['shared']);
    assert.equal((await destroy({ settings })).ok, true);
  });
});
