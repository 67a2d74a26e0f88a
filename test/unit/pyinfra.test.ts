import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeInventory, RESULTS_MODULE } from '../../server/src/codegen/pyinfra.js';
import { locatePyinfra, PyinfraMissingError, setupVenvDir } from '../../server/src/pipeline/pyinfra/locate.js';
import { runPyinfra } from '../../server/src/pipeline/pyinfra/run.js';
import { setupPyinfra, SetupError } from '../../server/src/pipeline/pyinfra/setup.js';
import { runCli } from '../support/cli.js';
import { findPyinfra, skipBecause } from '../support/pyinfra.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

/** Pids of live processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(marker)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

describe('finding PyInfra', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('explains how to install it when PYINFRA_PATH points at nothing', () => {
    const cacheDir = makeProject({});
    assert.throws(
      () => locatePyinfra({ pyinfraPath: '/nonexistent/pyinfra', searchPath: '/usr/bin', cacheDir, projectDir: cacheDir }),
      (error: unknown) => {
        assert.ok(error instanceof PyinfraMissingError);
        assert.match(error.message, /PYINFRA_PATH is \/nonexistent\/pyinfra, which is not an executable program/);
        return true;
      },
    );
  });

  it('looks on PATH, then in the virtual environment `clockwork setup` makes', () => {
    const dir = makeProject({ 'bin/pyinfra': '#!/bin/sh\n' });
    fs.chmodSync(path.join(dir, 'bin/pyinfra'), 0o755);
    assert.equal(locatePyinfra({ pyinfraPath: undefined, searchPath: `/nonexistent:${path.join(dir, 'bin')}`, cacheDir: dir, projectDir: dir }), path.join(dir, 'bin/pyinfra'));
    const venvBin = path.join(setupVenvDir({ cacheDir: dir }), 'bin');
    fs.mkdirSync(venvBin, { recursive: true });
    fs.copyFileSync(path.join(dir, 'bin/pyinfra'), path.join(venvBin, 'pyinfra'));
    fs.chmodSync(path.join(venvBin, 'pyinfra'), 0o755);
    assert.equal(locatePyinfra({ pyinfraPath: undefined, searchPath: '', cacheDir: dir, projectDir: dir }, { HOME: dir }), path.join(venvBin, 'pyinfra'));
  });

  it('finds what pipx and uv tool installed when PATH lacks it (an editor started from a menu)', () => {
    const home = makeProject({});
    const settings = { pyinfraPath: undefined, searchPath: '/usr/bin:/bin', cacheDir: path.join(home, '.cache'), projectDir: home };
    const install = (file: string): string => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
      return file;
    };
    // uv tool's environment, without the link (e.g. `uv tool install` ran with another bin dir).
    const uvTool = install(path.join(home, '.local/share/uv/tools/pyinfra/bin/pyinfra'));
    assert.equal(locatePyinfra(settings, { HOME: home }), uvTool);
    // pipx's and uv's link in ~/.local/bin comes first.
    const link = install(path.join(home, '.local/bin/pyinfra'));
    assert.equal(locatePyinfra(settings, { HOME: home }), link);
    // Their bin folder moved by PIPX_BIN_DIR / UV_TOOL_BIN_DIR.
    const pipxBin = install(path.join(home, 'pipx-bin/pyinfra'));
    assert.equal(locatePyinfra(settings, { HOME: home, PIPX_BIN_DIR: path.dirname(pipxBin) }), pipxBin);
    const uvBin = install(path.join(home, 'uv-bin/pyinfra'));
    assert.equal(locatePyinfra(settings, { HOME: home, UV_TOOL_BIN_DIR: path.dirname(uvBin) }), uvBin);
    // Nothing anywhere: the first line says where it looked.
    assert.throws(
      () => locatePyinfra(settings, { HOME: makeProject({}) }),
      (error: unknown) => error instanceof PyinfraMissingError && /^PyInfra was not found: not on PATH, not where pipx or uv tool put it/.test(error.message),
    );
  });

  it('makes `clockwork apply` exit 2 with pipx, uv and `clockwork setup` when PyInfra is missing', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: 'a' })];\n" });
    const cache = makeProject({});
    for (const env of [{ PYINFRA_PATH: path.join(dir, 'no-such-pyinfra') }, { PATH: '' }]) {
      const run = await runCli(['apply'], { cwd: dir, env: { ...env, XDG_CACHE_HOME: cache, HOME: cache } });
      assert.equal(run.exitCode, 2, run.stderr);
      assert.match(run.stderr, /pipx install pyinfra/);
      assert.match(run.stderr, /uv tool install pyinfra/);
      assert.match(run.stderr, /clockwork setup/);
      assert.equal(fs.existsSync(path.join(dir, 'a.txt')), false);
    }
  });
});

describe('clockwork setup', function () {
  this.timeout(120_000);
  after(removeProjects);

  it('creates the virtual environment and reports clearly that pip could not install pyinfra', async function () {
    const cacheDir = makeProject({});
    const lines: string[] = [];
    try {
      const result = await setupPyinfra({ settings: { cacheDir, searchPath: process.env['PATH'] ?? '' }, pipTimeoutSeconds: 5, pipRetries: 0, onOutput: (line) => lines.push(line) });
      // Where the package index is reachable, setup simply works.
      assert.ok(fs.existsSync(result.pyinfra));
      return;
    } catch (error) {
      if (!(error instanceof SetupError) || /virtual environment/.test(error.message)) throw error;
      assert.match(error.message, /pip could not install pyinfra>=3,<4 into .*pyinfra-venv \(exit code 1\)\. pip said:\n/);
      assert.match(error.message, /No matching distribution|Could not find a version|connection|Network/i);
      assert.match(error.message, /pipx install pyinfra/);
    }
    assert.ok(fs.existsSync(path.join(setupVenvDir({ cacheDir }), 'bin/python')), 'the venv was created');
    assert.ok(lines.length > 0, 'pip output was streamed');
  });
});

describe('running PyInfra', function () {
  this.timeout(60_000);
  after(removeProjects);

  before(function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
  });

  it('streams output, records results as data, and ends the whole process tree when cancelled', async () => {
    const pyinfra = findPyinfra() as string;
    const marker = `clockwork-cancel-${process.pid}-${Date.now()}`;
    const dir = makeProject({
      'inventory.py': writeInventory(['@local']),
      'clockwork_results.py': RESULTS_MODULE,
      // A program of our own: a shell command that would run for a minute.
      'deploy.py': `from pyinfra.operations import server\nimport clockwork_results\nclockwork_results.record_when_asked()\nserver.shell(name="sleeper", commands=["sh -c 'sleep 60; echo ${marker}' && true"], _ignore_errors=True)\n`,
    });
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runPyinfra({ pyinfra, cwd: dir, inventory: 'inventory.py', program: 'deploy.py', signal: controller.signal, onOutput: (line) => lines.push(line), forceKillAfterMs: 1000 });
    const deadline = Date.now() + 30_000;
    while (processesWith(marker).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(processesWith(marker).length > 0, `the sleeper started; output:\n${lines.join('\n')}`);
    assert.ok(lines.some((line) => line.includes('Starting operation: sleeper')), 'output streamed line by line');
    const cancelledAt = Date.now();
    controller.abort();
    const run = await running;
    assert.equal(run.cancelled, true);
    assert.ok(Date.now() - cancelledAt < 5000, 'cancelled promptly');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(processesWith(marker), [], 'no process of the tree is left');
  });

  it('reports a failing operation without stopping the ones after it', async () => {
    const pyinfra = findPyinfra() as string;
    const dir = makeProject({
      'inventory.py': writeInventory(['@local']),
      'clockwork_results.py': RESULTS_MODULE,
      'deploy.py':
        'from pyinfra.operations import server\nimport clockwork_results\nclockwork_results.record_when_asked()\n' +
        'server.shell(name="fails", commands=["echo boom >&2; exit 3"], _ignore_errors=True)\n' +
        'server.shell(name="runs", commands=["true"], _ignore_errors=True)\n',
    });
    const run = await runPyinfra({ pyinfra, cwd: dir, inventory: 'inventory.py', program: 'deploy.py' });
    assert.equal(run.exitCode, 0);
    const [host] = run.hosts;
    assert.equal(host?.host, '@local');
    assert.deepEqual(
      host?.operations.map((op) => [op.names[0], op.executed, op.success, op.stderr]),
      [
        ['fails', true, false, 'boom'],
        ['runs', true, true, ''],
      ],
    );
  });
});
