import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClockworkLoadError, loadProject } from '../../server/src/pipeline/loader/load.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

async function loadError(dir: string, timeoutMs?: number): Promise<ClockworkLoadError> {
  const error = await loadProject({ target: dir, ...(timeoutMs ? { timeoutMs } : {}) }).then(
    () => assert.fail('expected loading to fail'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ClockworkLoadError, `expected a ClockworkLoadError, got ${String(error)}`);
  return error;
}

describe('loading clockwork.ts', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('returns validated resources in source order, default export and named exports, with locations', async () => {
    const dir = makeProject({
      'clockwork.ts': [
        "import { FileResource, FileExistsAssert } from 'clockwork';",
        "export const early = new FileResource({ name: 'early.txt', content: 'a' });",
        'export default [',
        "  new FileResource({ name: 'second.txt', content: 'b', assertions: [new FileExistsAssert({ path: 'second.txt' })] }),",
        '  early,',
        '];',
        "export const late = new FileResource({ name: 'late.txt', content: 'c', directory: 'sub' });",
        '',
      ].join('\n'),
    });
    const project = await loadProject({ target: dir });
    assert.deepEqual(
      project.resources.map((r) => [r.name, r.location?.line, r.location?.column]),
      [['early.txt', 2, 22], ['second.txt', 4, 3], ['late.txt', 7, 21]],
    );
    const second = project.resources[1];
    assert.equal(second?.spec['mode'], '644', 'defaults are applied');
    assert.equal(second?.assertions[0]?.kind, 'FileExistsAssert');
    assert.equal(second?.assertions[0]?.location?.line, 4);
    assert.equal(project.file, path.join(dir, 'clockwork.ts'));
  });

  it('accepts a single resource as the default export, and a path to the file itself', async () => {
    const dir = makeProject({
      'infra.clockwork.ts': "import { FileResource } from 'clockwork';\nexport default new FileResource({ name: 'one.txt', content: '1' });\n",
    });
    const project = await loadProject({ target: path.join(dir, 'infra.clockwork.ts') });
    assert.deepEqual(project.resources.map((r) => r.name), ['one.txt']);
  });

  it('resolves "clockwork" to its own module, whatever node_modules holds', async () => {
    const dir = makeProject({
      'node_modules/clockwork/package.json': '{"name":"clockwork","main":"index.js"}',
      'node_modules/clockwork/index.js': 'throw new Error("the wrong clockwork module was loaded");',
      'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'x.txt', content: '' })];\n",
    });
    const project = await loadProject({ target: dir });
    assert.equal(project.resources.length, 1);
  });

  it('reports a syntax error with file, line and column', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [\n  new FileResource({ name: 'a' content: '' }),\n];\n" });
    const error = await loadError(dir);
    assert.equal(error.problems.length, 1);
    assert.match(error.message, /clockwork\.ts:3:32 syntax error: Expected "}" but found "content"$/);
  });

  it('reports an exception thrown while loading, at the throwing line', async () => {
    const dir = makeProject({
      'clockwork.ts': "import { FileResource } from 'clockwork';\nconst port = Number('x');\nif (Number.isNaN(port)) throw new RangeError('PORT is not a number');\nexport default [];\n",
    });
    const error = await loadError(dir);
    assert.match(error.message, /clockwork\.ts:3:31 loading failed: RangeError: PORT is not a number$/);
  });

  it('stops an endless loop at the timeout with a clear message', async () => {
    const dir = makeProject({ 'clockwork.ts': 'while (true) {}\nexport default [];\n' });
    const started = Date.now();
    const error = await loadError(dir, 1500);
    const elapsed = Date.now() - started;
    assert.match(error.message, /clockwork\.ts did not finish loading within 1\.5 s and was stopped \(an endless loop\?\)/);
    assert.ok(elapsed < 8000, `stopped after ${elapsed} ms`);
  });

  it('reports a file that declares no resources', async () => {
    const dir = makeProject({ 'clockwork.ts': 'export default [];\n' });
    const error = await loadError(dir);
    assert.match(error.message, /clockwork\.ts declares no resources: export them/);
  });

  it('reports a default export that holds something other than resources', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: '' }), 'b.txt'];\n" });
    const error = await loadError(dir);
    assert.match(error.message, /the default export\[1\] is not a resource \(got "b\.txt"\)/);
  });

  it('marks both declarations of a duplicate name', async () => {
    const dir = makeProject({
      'clockwork.ts': [
        "import { FileResource, DockerServiceResource } from 'clockwork';",
        'export default [',
        "  new FileResource({ name: 'same', content: '' }),",
        "  new DockerServiceResource({ name: 'same', image: 'busybox' }),",
        '];',
        '',
      ].join('\n'),
    });
    const error = await loadError(dir);
    const lines = error.message.split('\n').map((line) => line.replace(/^.*clockwork\.ts:/, 'clockwork.ts:'));
    assert.deepEqual(lines, [
      'clockwork.ts:3:3 FileResource "same": name: duplicate name (declared at line 3, line 4); resource names must be unique',
      'clockwork.ts:4:3 DockerServiceResource "same": name: duplicate name (declared at line 3, line 4); resource names must be unique',
    ]);
  });

  it('says when there is no clockwork.ts', async () => {
    const dir = makeProject({ 'README.md': '' });
    await assert.rejects(loadProject({ target: dir }), (error: Error) => error.message === `No clockwork.ts in ${dir}: create one (or use --dir to point at the project folder)`);
  });

  it('leaves nothing behind in the project folder', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: '' })];\n" });
    await loadProject({ target: dir });
    assert.deepEqual(fs.readdirSync(dir), ['clockwork.ts']);
  });

  it('can be cancelled', async () => {
    const dir = makeProject({ 'clockwork.ts': 'while (true) {}\n' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await assert.rejects(loadProject({ target: dir, signal: controller.signal }), /cancelled/);
    assert.ok(Date.now() - started < 5000);
  });
});
