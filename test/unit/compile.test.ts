import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateSpec } from '../../server/src/model/define.js';
import { resourceDefinition } from '../../server/src/model/registry.js';
import { compileApply, compileDestroy, writePrograms } from '../../server/src/pipeline/compile/compile.js';
import { planChanges } from '../../server/src/pipeline/compile/changes.js';
import type { LoadedResource } from '../../server/src/pipeline/loader/load.js';
import type { StateRecord } from '../../server/src/pipeline/state.js';
import { parseProgram, pyCompile } from '../support/python.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

/** A loaded resource built in-process, as the loader would return it. */
function resource(kind: string, input: Record<string, unknown>): LoadedResource {
  const definition = resourceDefinition(kind);
  assert.ok(definition, kind);
  const checked = validateSpec(definition.schema, input);
  assert.ok(checked.ok, JSON.stringify(checked));
  const spec = checked.spec as LoadedResource['spec'];
  return { definition, kind, name: spec.name, spec, assertions: [], dependsOn: [], location: undefined };
}

const HOSTILE = `it's "quoted" '''triple''' """triple""" \\ back\\slash $(touch /tmp/pwned) \`id\`\nline two\r\n\u2028end\t`;

describe('compile to PyInfra', function () {
  this.timeout(20_000);
  after(removeProjects);

  it('writes deploy.py, destroy.py, inventory.py and the results helper, all valid Python, named after the resources', () => {
    const dir = makeProject({});
    const out = path.join(dir, '.clockwork/pyinfra');
    const resources = [
      resource('FileResource', { name: 'game_of_life.md', directory: 'scratch', content: HOSTILE, mode: '600', user: 'root', group: 'root' }),
      resource('FileResource', { name: 'top.txt', content: '' }),
      resource('DockerServiceResource', {
        name: 'web',
        image: 'nginx:1.27-alpine',
        ports: ['127.0.0.1:8080:80'],
        volumes: ['data:/srv/data:ro'],
        networks: ['front'],
        envVars: { GREETING: "hello 'world' $(id)", EMPTY: '' },
      }),
    ];
    const compiled = compileApply(resources, [], [], dir);
    writePrograms(out, [compiled.deploy, compiled.destroy]);
    const files = ['deploy.py', 'destroy.py', 'inventory.py', 'clockwork_results.py'].map((name) => path.join(out, name));
    pyCompile(files);
    assert.match(fs.readFileSync(path.join(out, 'inventory.py'), 'utf8'), /^hosts = \['@local'\]$/m);

    const calls = parseProgram(path.join(out, 'deploy.py'));
    assert.deepEqual(
      calls.map((call) => [call.call, call.kwargs['name']]),
      [
        ['files.directory', 'FileResource game_of_life.md: folder'],
        ['files.put', 'FileResource game_of_life.md: write'],
        ['files.put', 'FileResource top.txt: write'],
        ['docker.container', 'DockerServiceResource web: container'],
      ],
    );
    const [folder, put, , container] = calls;
    assert.deepEqual(folder?.kwargs, { name: 'FileResource game_of_life.md: folder', path: path.join(dir, 'scratch'), present: true, _ignore_errors: true });
    assert.deepEqual(put?.kwargs['src'], { StringIO: HOSTILE });
    assert.equal(put?.kwargs['dest'], path.join(dir, 'scratch/game_of_life.md'));
    assert.deepEqual([put?.kwargs['mode'], put?.kwargs['user'], put?.kwargs['group']], ['600', 'root', 'root']);
    // docker.container pastes these into `sh -c` unquoted: each is one shell word.
    assert.deepEqual(container?.kwargs['env_vars'], [`'GREETING=hello '\\''world'\\'' $(id)'`, 'EMPTY=']);
    assert.deepEqual(container?.kwargs['ports'], ['127.0.0.1:8080:80']);
    assert.deepEqual(container?.kwargs['volumes'], ['data:/srv/data:ro']);
    assert.equal(container?.kwargs['force'], undefined, 'a first deploy does not recreate');
    assert.equal(container?.kwargs['start'], true);

    const destroyCalls = parseProgram(path.join(out, 'destroy.py'));
    assert.deepEqual(
      destroyCalls.map((call) => [call.call, call.kwargs['name']]),
      [
        ['docker.container', 'DockerServiceResource web: remove'],
        ['files.file', 'FileResource top.txt: remove'],
        ['files.file', 'FileResource game_of_life.md: remove'],
      ],
    );
    assert.deepEqual(destroyCalls[0]?.kwargs, { name: 'DockerServiceResource web: remove', container: 'web', present: false, start: false, _ignore_errors: true });
  });

  it('lists removals first, only on the hosts that have them, and recreates a container whose content changed', () => {
    const dir = makeProject({});
    const web = resource('DockerServiceResource', { name: 'web', image: 'nginx:1.27', ports: ['127.0.0.1:8081:80'] });
    const webBefore = compileApply([resource('DockerServiceResource', { name: 'web', image: 'nginx:1.27', ports: ['127.0.0.1:8080:80'] })], [], [], dir);
    const record = (kind: string, name: string, identity: StateRecord['identity'], host: string, contentHash: string): StateRecord => ({
      kind,
      name,
      identity,
      host,
      specHash: 'old',
      contentHash,
      appliedAt: '2026-01-01T00:00:00.000Z',
    });
    const records = [
      record('DockerServiceResource', 'web', { type: 'container', id: 'web' }, '@local', [...webBefore.contentHashes.values()][0] ?? ''),
      record('FileResource', 'gone.txt', { type: 'file', id: path.join(dir, 'gone.txt') }, 'box-1', 'x'),
      record('FileResource', 'gone.txt', { type: 'file', id: path.join(dir, 'gone.txt') }, 'box-2', 'x'),
    ];
    const changes = planChanges([web], records, dir);
    assert.deepEqual(changes.map((change) => [change.action, change.name, change.hosts]), [
      ['change', 'web', ['@local']],
      ['remove', 'gone.txt', ['box-1', 'box-2']],
    ]);
    const compiled = compileApply([web], records, changes.filter((change) => change.action === 'remove'), dir);
    const out = path.join(dir, 'out');
    writePrograms(out, [compiled.deploy]);
    pyCompile([path.join(out, 'deploy.py')]);
    const calls = parseProgram(path.join(out, 'deploy.py'));
    assert.deepEqual(calls.map((call) => [call.kwargs['name'], call.hosts]), [
      ['FileResource gone.txt: remove', ['box-1', 'box-2']],
      ['DockerServiceResource web: container', null],
    ]);
    assert.equal(calls[1]?.kwargs['force'], true);

    // Unchanged content: no force (PyInfra leaves the running container alone).
    const same = compileApply([web], [{ ...records[0]!, contentHash: [...compiled.contentHashes.values()][0] ?? '' }], [], dir);
    writePrograms(out, [same.deploy]);
    assert.equal(parseProgram(path.join(out, 'deploy.py'))[0]?.kwargs['force'], undefined);
  });

  it('compiles destroy from the state alone, newest first, each on its recorded hosts', () => {
    const dir = makeProject({});
    const records: StateRecord[] = [
      { kind: 'FileResource', name: 'a.txt', identity: { type: 'file', id: '/srv/a.txt' }, host: '@local', specHash: 's', contentHash: 'c', appliedAt: 't' },
      { kind: 'DockerServiceResource', name: 'db', identity: { type: 'container', id: 'db' }, host: 'web-1', specHash: 's', contentHash: 'c', appliedAt: 't' },
    ];
    const compiled = compileDestroy(records);
    writePrograms(dir, [compiled]);
    pyCompile([path.join(dir, 'destroy.py')]);
    assert.deepEqual(
      parseProgram(path.join(dir, 'destroy.py')).map((call) => [call.call, call.kwargs['name'], call.hosts]),
      [
        ['docker.container', 'DockerServiceResource db: remove', ['web-1']],
        ['files.file', 'FileResource a.txt: remove', ['@local']],
      ],
    );
    assert.throws(() => compileDestroy([{ ...records[0]!, kind: 'FtpResource' }]), /FtpResource "a.txt", a kind this Clockwork does not know/);
  });

  it('creates a folder once for all the files in it (21 operations for 20 files in one folder, not 40)', () => {
    const dir = makeProject({});
    const files = Array.from({ length: 20 }, (_, i) => resource('FileResource', { name: `f${i}.txt`, directory: 'out', content: `${i}` }));
    const other = resource('FileResource', { name: 'g.txt', directory: 'elsewhere', content: 'g' });
    const compiled = compileApply([...files, other], [], [], dir);
    writePrograms(dir, [compiled.deploy]);
    const calls = parseProgram(path.join(dir, 'deploy.py'));
    assert.equal(calls.length, 23);
    assert.deepEqual(
      calls.filter((call) => call.call === 'files.directory').map((call) => call.kwargs['path']),
      [path.join(dir, 'out'), path.join(dir, 'elsewhere')],
    );
    assert.equal(calls.filter((call) => call.call === 'files.put').length, 21);
    // The folder comes before every file in it; the first file owns it.
    assert.equal(calls[0]?.call, 'files.directory');
    assert.equal(compiled.deploy.owners.get('FileResource f0.txt: folder')?.name, 'f0.txt');
    assert.equal(compiled.deploy.owners.has('FileResource f1.txt: folder'), false);
    // An upload into a folder made just before does not look for the folder again (one
    // command per file and host fewer); one without a folder operation still does.
    const plain = resource('FileResource', { name: 'h.txt', content: 'h' });
    const again = compileApply([...files, other, plain], [], [], dir);
    assert.deepEqual(
      again.deploy.operations.filter((operation) => operation.call === 'files.put').map((operation) => operation.args['create_remote_dir']),
      [...files.map(() => ({ literal: false })), { literal: false }, undefined],
    );
    // What state records as deployed is the resource's own operations, unchanged.
    assert.deepEqual([...again.contentHashes.values()].slice(0, 21), [...compiled.contentHashes.values()]);
  });

  it('writes a program with nothing to do that still compiles', () => {
    const dir = makeProject({});
    writePrograms(dir, [compileDestroy([])]);
    pyCompile([path.join(dir, 'destroy.py')]);
    assert.match(fs.readFileSync(path.join(dir, 'destroy.py'), 'utf8'), /# Nothing to do\./);
  });
});
