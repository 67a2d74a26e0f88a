/**
 * dependsOn: the order apply and destroy run in, a resource skipped (and reported so)
 * because what it depends on failed, a removal skipped because what depends on it could not
 * be removed, and cycles and undeclared dependencies as load errors (exit 2). The runs are
 * real PyInfra on this machine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileApply, compileDestroy, writePrograms } from '../../server/src/pipeline/compile/compile.js';
import { apply } from '../../server/src/pipeline/apply.js';
import { destroy } from '../../server/src/pipeline/destroy.js';
import { loadProject } from '../../server/src/pipeline/loader/load.js';
import { resolveSettings, type Settings } from '../../server/src/pipeline/settings.js';
import { readState, type StateRecord } from '../../server/src/pipeline/state.js';
import { runCli } from '../support/cli.js';
import { requirePyinfra } from '../support/tools.js';
import { pyCompile } from '../support/python.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

function settingsFor(dir: string): Settings {
  return { ...resolveSettings({ projectDir: dir, environment: {} }), searchPath: process.env['PATH'] ?? '' };
}

/** The operation names of a generated program, in order. */
const operationNames = (source: string): string[] => [...source.matchAll(/^ {4,8}name='([^']*)',$/gm)].map((match) => match[1] as string);

/** Declared out of order: each resource before what it depends on. */
const OUT_OF_ORDER = `import { DirectoryResource, FileResource, GroupResource, TemplateFileResource, UserResource } from 'clockwork';
const notes = new FileResource({ name: 'notes.txt', directory: 'site', content: 'x' });
const conf = new TemplateFileResource({ name: 'site.conf', directory: 'site', template: 'v={{ v }}', variables: { v: 1 } });
const site = new DirectoryResource({ name: 'site' });
conf.dependsOn.push(site);
notes.dependsOn.push(conf, site);
export default [notes, conf, site];
`;

describe('dependsOn', function () {
  this.timeout(120_000);
  after(removeProjects);

  describe('order (compiled, no PyInfra needed)', () => {
    it('deploys a resource after what it depends on, waiting for it, and removes in reverse', async () => {
      const dir = makeProject({ 'clockwork.ts': OUT_OF_ORDER });
      const project = await loadProject({ target: dir });
      assert.deepEqual(project.resources.map((r) => [r.name, r.dependsOn]), [
        ['notes.txt', ['site.conf', 'site']],
        ['site.conf', ['site']],
        ['site', []],
      ]);
      // As after a first apply that made the directory (destroy then removes it).
      const applied: StateRecord = {
        kind: 'DirectoryResource',
        name: 'site',
        identity: { type: 'directory', id: path.join(dir, 'site') },
        host: '@local',
        specHash: '',
        contentHash: '',
        appliedAt: '',
        prior: { existed: false },
      };
      const compiled = compileApply(project.resources, [applied], [], dir);
      assert.deepEqual(operationNames(compiled.deploy.source), [
        'DirectoryResource site: directory',
        'TemplateFileResource site.conf: render',
        'FileResource notes.txt: folder',
        'FileResource notes.txt: write',
      ]);
      // Each operation of a dependent waits for every operation of what it depends on.
      assert.match(compiled.deploy.source, /name='TemplateFileResource site\.conf: render',[\s\S]*?_if=\[clockwork_results\.after\('TemplateFileResource site\.conf: render', \['DirectoryResource site: directory'\]\)\],/);
      assert.match(
        compiled.deploy.source,
        /name='FileResource notes\.txt: write',[\s\S]*?_if=\[clockwork_results\.after\('FileResource notes\.txt: write', \['TemplateFileResource site\.conf: render', 'DirectoryResource site: directory'\]\)\],/,
      );
      assert.deepEqual(operationNames(compiled.destroy.source), [
        'FileResource notes.txt: remove',
        'TemplateFileResource site.conf: remove',
        'DirectoryResource site: remove',
      ]);
      // The directory's removal waits for the removals of what depends on it.
      assert.match(compiled.destroy.source, /_if=\[clockwork_results\.after\('DirectoryResource site: remove', \['TemplateFileResource site\.conf: remove', 'FileResource notes\.txt: remove'\]\)\],/);
      const out = path.join(dir, 'out');
      writePrograms(out, [compiled.deploy, compiled.destroy]);
      pyCompile(['deploy.py', 'destroy.py', 'clockwork_results.py'].map((name) => path.join(out, name)));
    });

    it('destroy from the state alone removes dependents first, and what lies in a folder before the folder', () => {
      const record = (name: string, kind: string, type: StateRecord['identity']['type'], id: string, prior: StateRecord['prior'], dependsOn?: string[]): StateRecord => ({
        kind,
        name,
        identity: { type, id },
        host: '@local',
        specHash: '',
        contentHash: '',
        appliedAt: '',
        ...(prior ? { prior } : {}),
        ...(dependsOn ? { dependsOn } : {}),
      });
      // Recorded in creation order; the file in /srv/site declares no dependency on it.
      const records = [
        record('site', 'DirectoryResource', 'directory', '/srv/site', { existed: false }, ['web']),
        record('web', 'UserResource', 'user', 'web', { existed: [] }, ['team']),
        record('team', 'GroupResource', 'group', 'team', { existed: [] }),
        record('page', 'FileResource', 'file', '/srv/site/index.html', undefined),
      ];
      const compiled = compileDestroy(records);
      assert.deepEqual(operationNames(compiled.source), [
        'FileResource page: remove',
        'DirectoryResource site: remove',
        'UserResource web: remove',
        'GroupResource team: remove',
      ]);
      // Without the facts of a first apply (a run cancelled before PyInfra reported), what
      // may have existed before is kept, and the result says why.
      const unknown = compileDestroy([record('site', 'DirectoryResource', 'directory', '/srv/site', undefined)]);
      assert.deepEqual(operationNames(unknown.source), []);
      assert.deepEqual(unknown.kept.map((kept) => kept.reason), ['kept /srv/site: Clockwork could not tell whether it existed before apply']);
    });
  });

  describe('on this machine (real PyInfra)', () => {
    before(function () {
      requirePyinfra(this);
    });

    it('reports a resource whose dependency failed as not run because of it, and runs it once the dependency works', async () => {
      const dir = makeProject({
        'clockwork.ts': `import { DirectoryResource, FileResource, TemplateFileResource } from 'clockwork';
const site = new DirectoryResource({ name: 'site', path: 'blocker/site' });
const conf = new TemplateFileResource({ name: 'site.conf', directory: 'blocker/site', template: 'v={{ v }}', variables: { v: 1 }, dependsOn: [site] });
const notes = new FileResource({ name: 'notes.txt', content: 'x', dependsOn: [conf] });
const other = new FileResource({ name: 'other.txt', content: 'independent' });
export default [site, conf, notes, other];
`,
        blocker: 'a plain file where a folder should go\n',
      });
      const run = await runCli(['apply'], { cwd: dir });
      assert.equal(run.exitCode, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /✗ DirectoryResource site → directory blocker\/site: failed\n {6}mkdir: cannot create directory .*Not a directory/);
      assert.match(run.stdout, /✗ TemplateFileResource site\.conf → blocker\/site\/site\.conf: skipped\n {6}not run: it depends on DirectoryResource "site", which failed\n/);
      assert.match(run.stdout, /✗ FileResource notes\.txt → notes\.txt: skipped\n {6}not run: it depends on TemplateFileResource "site\.conf", which was not run\n/);
      assert.match(run.stdout, /✓ FileResource other\.txt → other\.txt: created\n/);
      assert.match(run.stdout, /✗ Deployment failed: DirectoryResource site \(1 created, 1 failed, 2 not run\)$/);
      assert.equal(fs.existsSync(path.join(dir, 'notes.txt')), false);
      // What did not run is not recorded; the failed directory ran (mkdir was tried).
      assert.deepEqual(readState(path.join(dir, '.clockwork')).map((record) => [record.name, record.failed]), [
        ['site', true],
        ['other.txt', undefined],
      ]);

      fs.rmSync(path.join(dir, 'blocker'));
      const fixed = await apply({ settings: settingsFor(dir) });
      assert.deepEqual(fixed.results.map((r) => `${r.resource} ${r.status}`), ['site changed', 'site.conf changed', 'notes.txt changed', 'other.txt unchanged']);
      assert.equal(fs.readFileSync(path.join(dir, 'blocker/site/site.conf'), 'utf8'), 'v=1');
      const gone = await destroy({ settings: settingsFor(dir) });
      assert.equal(gone.ok, true);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['blocker', 'clockwork.ts']);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'blocker')), [], 'the folders mkdir -p made above it stay, empty');
    });

    it('does not remove what a resource depends on when that resource could not be removed', async () => {
      const dir = makeProject({
        'clockwork.ts': `import { DirectoryResource, TemplateFileResource } from 'clockwork';
const site = new DirectoryResource({ name: 'site' });
export default [site, new TemplateFileResource({ name: 'site.conf', directory: 'site', template: 'x', dependsOn: [site] })];
`,
      });
      const settings = settingsFor(dir);
      assert.equal((await apply({ settings })).ok, true);
      // Someone put a folder where the file was: PyInfra will not remove it as a file.
      fs.rmSync(path.join(dir, 'site/site.conf'));
      fs.mkdirSync(path.join(dir, 'site/site.conf'));
      const gone = await destroy({ settings });
      assert.equal(gone.ok, false);
      assert.deepEqual(
        gone.results.map((r) => `${r.resource} ${r.status}: ${r.error ?? ''}`),
        [`site.conf failed: ${dir}/site/site.conf exists and is not a file`, 'site skipped: not removed: TemplateFileResource "site.conf", which depends on it, could not be removed'],
      );
      assert.deepEqual(readState(settings.stateDir).map((record) => record.name), ['site', 'site.conf']);
      assert.ok(fs.statSync(path.join(dir, 'site/site.conf')).isDirectory());
    });
  });

  describe('load errors (exit 2)', () => {
    it('names a cycle on each resource in it, with its line', async () => {
      const dir = makeProject({
        'clockwork.ts': `import { DirectoryResource, FileResource } from 'clockwork';
const a = new DirectoryResource({ name: 'a' });
const b = new FileResource({ name: 'b.txt', content: 'x', dependsOn: [a] });
const c = new DirectoryResource({ name: 'c', dependsOn: [b] });
a.dependsOn.push(c);
export default [a, b, c];
`,
      });
      for (const command of ['plan', 'apply']) {
        const run = await runCli([command], { cwd: dir });
        assert.equal(run.exitCode, 2, run.stdout + run.stderr);
        const cycle = 'dependency cycle DirectoryResource "a" → DirectoryResource "c" → FileResource "b.txt" → DirectoryResource "a" (each depends on the next)';
        assert.equal(
          run.stderr,
          [
            `✗ clockwork.ts:2:11 DirectoryResource "a": dependsOn: ${cycle}; a resource cannot come after itself, so remove one of these dependsOn`,
            `clockwork.ts:3:11 FileResource "b.txt": dependsOn: ${cycle}; a resource cannot come after itself, so remove one of these dependsOn`,
            `clockwork.ts:4:11 DirectoryResource "c": dependsOn: ${cycle}; a resource cannot come after itself, so remove one of these dependsOn`,
          ].join('\n'),
        );
      }
      assert.equal(fs.existsSync(path.join(dir, '.clockwork/state.json')), false);
    });

    it('rejects a dependency the file does not export, or one that is not a resource', async () => {
      const dir = makeProject({
        'clockwork.ts': `import { DirectoryResource, FileExistsAssert } from 'clockwork';
const hidden = new DirectoryResource({ name: 'hidden' });
const shown = new DirectoryResource({ name: 'shown', dependsOn: [hidden] });
shown.dependsOn.push(new FileExistsAssert({ path: 'x' }) as never);
export default [shown];
`,
      });
      const run = await runCli(['plan'], { cwd: dir });
      assert.equal(run.exitCode, 2, run.stdout + run.stderr);
      assert.equal(
        run.stderr,
        [
          '✗ clockwork.ts:3:15 DirectoryResource "shown": dependsOn.0: DirectoryResource "hidden" is not exported from the file, so apply would not deploy it; export it too (e.g. add it to the default export)',
          'clockwork.ts:3:15 DirectoryResource "shown": dependsOn.1: expected a resource such as siteDirectory (a new DirectoryResource({...})), got a FileExistsAssert',
        ].join('\n'),
      );
    });
  });
});
