import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireLock, LockedError } from '../../server/src/pipeline/lock.js';
import { readState, stableHash, StateError, writeState, type StateRecord } from '../../server/src/pipeline/state.js';
import { runCli } from '../support/cli.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const RECORD: StateRecord = {
  kind: 'FileResource',
  name: 'notes.md',
  identity: { type: 'file', id: '/srv/notes.md' },
  host: '@local',
  specHash: 'a',
  contentHash: 'b',
  appliedAt: '2026-11-29T00:00:00.000Z',
};

describe('state', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('reads back what it wrote, leaves no temporary file, and removes the file when nothing is recorded', () => {
    const stateDir = path.join(makeProject({}), '.clockwork');
    assert.deepEqual(readState(stateDir), []);
    const records = [RECORD, { ...RECORD, name: 'other.md', identity: { type: 'file' as const, id: '/srv/other.md' }, failed: true as const }];
    writeState(stateDir, records);
    assert.deepEqual(readState(stateDir), records);
    assert.deepEqual(fs.readdirSync(stateDir), ['state.json']);
    writeState(stateDir, []);
    assert.equal(fs.existsSync(path.join(stateDir, 'state.json')), false);
  });

  it('refuses a corrupted state file with a way out, and never resets it', () => {
    const stateDir = path.join(makeProject({}), '.clockwork');
    fs.mkdirSync(stateDir);
    fs.writeFileSync(path.join(stateDir, 'state.json'), '{"version": 1, "resources": [{"kind": "FileRes');
    assert.throws(() => readState(stateDir), (error: unknown) => {
      assert.ok(error instanceof StateError);
      assert.match(error.message, /state\.json is not valid Clockwork state \(.*JSON.*\)/);
      assert.match(error.message, /move it aside/);
      return true;
    });
    fs.writeFileSync(path.join(stateDir, 'state.json'), JSON.stringify({ version: 1, resources: [{ ...RECORD, identity: { type: 'socket', id: 'x' } }] }));
    assert.throws(() => readState(stateDir), /resources\.0\.identity\.type/);
    assert.equal(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8').includes('socket'), true);
  });

  it('makes plan and destroy exit 2 on a corrupted state file', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: 'a' })];\n" });
    fs.mkdirSync(path.join(dir, '.clockwork'));
    fs.writeFileSync(path.join(dir, '.clockwork/state.json'), 'not json');
    for (const command of ['plan', 'destroy']) {
      const run = await runCli([command], { cwd: dir });
      assert.equal(run.exitCode, 2, `${command}: ${run.stderr}`);
      assert.match(run.stderr, /\.clockwork\/state\.json is not valid Clockwork state/);
    }
  });

  it('hashes equal values equally whatever the key order', () => {
    assert.equal(stableHash({ a: 1, b: [1, { c: 2, d: 3 }] }), stableHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    assert.notEqual(stableHash({ a: 1 }), stableHash({ a: 2 }));
  });
});

describe('project lock', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('lets one run in at a time and names the holder', () => {
    const stateDir = path.join(makeProject({}), '.clockwork');
    const lock = acquireLock(stateDir, 'apply');
    assert.equal(fs.readFileSync(lock.file, 'utf8').trim(), String(process.pid));
    assert.throws(() => acquireLock(stateDir, 'apply'), (error: unknown) => {
      assert.ok(error instanceof LockedError);
      assert.match(error.message, new RegExp(`Another Clockwork run \\(pid ${process.pid}\\) is working on this project`));
      return true;
    });
    lock.release();
    assert.equal(fs.existsSync(lock.file), false);
    acquireLock(stateDir, 'apply').release();
  });

  it('takes over a stale lock whose process is gone', async () => {
    const stateDir = path.join(makeProject({}), '.clockwork');
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid;
    await new Promise((resolve) => child.on('exit', resolve));
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'lock'), `${deadPid}\n`);
    const lock = acquireLock(stateDir, 'apply');
    assert.equal(fs.readFileSync(lock.file, 'utf8').trim(), String(process.pid));
    lock.release();
  });

  it('makes a second apply in the same project fail at once with a clear message', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: 'a' })];\n" });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      fs.mkdirSync(path.join(dir, '.clockwork'));
      fs.writeFileSync(path.join(dir, '.clockwork/lock'), `${holder.pid}\n`);
      const started = Date.now();
      // PYINFRA_PATH points at a harmless program: the lock is checked before anything runs.
      const run = await runCli(['apply'], { cwd: dir, env: { PYINFRA_PATH: '/bin/true' } });
      assert.equal(run.exitCode, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`Another Clockwork run \\(pid ${holder.pid}\\) is working on this project .*wait for it to finish before running apply`));
      assert.ok(Date.now() - started < 10_000);
      assert.equal(fs.existsSync(path.join(dir, 'a.txt')), false);
    } finally {
      holder.kill();
    }
  });
});
