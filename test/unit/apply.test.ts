import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { apply } from '../../server/src/pipeline/apply.js';
import { destroy } from '../../server/src/pipeline/destroy.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { readState } from '../../server/src/pipeline/state.js';
import { runCli } from '../support/cli.js';
import { dockerWithTestImage, findPyinfra, removeContainer, skipBecause, TEST_IMAGE } from '../support/pyinfra.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

/** The file-generation example with every content given (no AI). */
const FILES_PROJECT = `import { FileResource, FileExistsAssert } from 'clockwork';

export default [
  new FileResource({ name: 'game_of_life.md', directory: 'scratch', content: "# Conway's Game of Life\\n\\nA cell with two or three live neighbours survives.\\n" }),
  new FileResource({ name: 'clockwork_poem.txt', directory: 'scratch', mode: '600', content: 'Gears turn "precisely",\\n\\\\ tick $(tock)\\n' }),
  new FileResource({
    name: 'README.md',
    directory: 'scratch',
    content: '# Generated Files\\n',
    assertions: [new FileExistsAssert({ path: 'scratch/README.md' })],
  }),
];
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

async function httpGet(url: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function containerExists(name: string): boolean {
  try {
    execFileSync('docker', ['container', 'inspect', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('apply without PyInfra involved', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('deploys nothing when a resource needs the AI and it cannot run (no key: exit 2)', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.md', description: 'An essay' })];\n" });
    const run = await runCli(['apply'], { cwd: dir, env: { PYINFRA_PATH: '/bin/true', OPENROUTER_API_KEY: undefined } });
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, /a\.md/);
    assert.equal(fs.existsSync(path.join(dir, '.clockwork/pyinfra/deploy.py')), false);
    assert.equal(fs.existsSync(path.join(dir, '.clockwork/state.json')), false);
  });

  it('says there is nothing to destroy when nothing is recorded (exit 0, no PyInfra needed)', async () => {
    const dir = makeProject({});
    const run = await runCli(['destroy'], { cwd: dir, env: { PATH: '' } });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, 'Nothing to destroy: .clockwork/state.json records no resources.');
  });
});

describe('apply and destroy with PyInfra', function () {
  this.timeout(90_000);
  after(removeProjects);

  before(function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
  });

  it('applies files, changes nothing the second time, removes a dropped resource, and destroys exactly what it created', async () => {
    const dir = makeProject({ 'clockwork.ts': FILES_PROJECT, 'scratch/keep.txt': 'not managed by Clockwork\n' });
    const first = await runCli(['apply', '--verbose'], { cwd: dir });
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.match(first.stderr, /--> Starting operation: FileResource game_of_life\.md: write/, 'PyInfra output on stderr with --verbose');
    assert.match(first.stdout, /✓ FileResource game_of_life\.md → scratch\/game_of_life\.md: created/);
    assert.match(first.stdout, /✓ Deployment successful \(3 created\)$/);
    assert.equal(fs.readFileSync(path.join(dir, 'scratch/clockwork_poem.txt'), 'utf8'), 'Gears turn "precisely",\n\\ tick $(tock)\n');
    assert.equal(fs.statSync(path.join(dir, 'scratch/clockwork_poem.txt')).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(path.join(dir, 'scratch/README.md'), 'utf8'), '# Generated Files\n');
    const deployPy = fs.readFileSync(path.join(dir, '.clockwork/pyinfra/deploy.py'), 'utf8');
    assert.match(deployPy, /name='FileResource game_of_life\.md: write'/);
    assert.deepEqual(readState(path.join(dir, '.clockwork')).map((record) => [record.name, record.host, record.failed]), [
      ['game_of_life.md', '@local', undefined],
      ['clockwork_poem.txt', '@local', undefined],
      ['README.md', '@local', undefined],
    ]);

    const second = await runCli(['apply', '--json'], { cwd: dir });
    assert.equal(second.exitCode, 0, second.stderr);
    const result = JSON.parse(second.stdout) as { ok: boolean; results: { resource: string; kind: string; host: string; status: string }[] };
    assert.equal(result.ok, true);
    assert.deepEqual(result.results.map((r) => [r.kind, r.resource, r.host, r.status]), [
      ['FileResource', 'game_of_life.md', '@local', 'unchanged'],
      ['FileResource', 'clockwork_poem.txt', '@local', 'unchanged'],
      ['FileResource', 'README.md', '@local', 'unchanged'],
    ]);

    // Edited by hand on the host: the plan saw nothing to change, apply says what it did in the plan's words.
    fs.writeFileSync(path.join(dir, 'scratch/README.md'), 'edited by hand\n');
    const restored = await runCli(['apply'], { cwd: dir });
    assert.match(restored.stdout, /✓ FileResource README\.md → scratch\/README\.md: changed \(it differed on the host\)/);
    assert.match(restored.stdout, /✓ Deployment successful \(1 changed, 2 unchanged\)$/);

    // Drop one resource: plan shows the removal, apply lists and removes it.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), FILES_PROJECT.replace(/ {2}new FileResource\(\{ name: 'clockwork_poem\.txt'.*\n/, ''));
    const plan = await runCli(['plan'], { cwd: dir });
    assert.match(plan.stdout, /- FileResource clockwork_poem\.txt → scratch\/clockwork_poem\.txt {2}\(no longer in clockwork\.ts: apply removes it\)/);
    assert.match(plan.stdout, /Apply would create 0, change 0, leave 2 unchanged and remove 1\./);
    const third = await runCli(['apply'], { cwd: dir });
    assert.equal(third.exitCode, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /^Removing 1 resource\(s\) no longer in clockwork\.ts:\n {2}- FileResource clockwork_poem\.txt → scratch\/clockwork_poem\.txt\n/);
    assert.match(third.stdout, /✓ Deployment successful \(2 unchanged, 1 removed\)/);
    assert.equal(fs.existsSync(path.join(dir, 'scratch/clockwork_poem.txt')), false);

    // clockwork.ts deleted: destroy works from the state alone.
    fs.rmSync(path.join(dir, 'clockwork.ts'));
    const destroyed = await runCli(['destroy'], { cwd: dir });
    assert.equal(destroyed.exitCode, 0, destroyed.stdout + destroyed.stderr);
    assert.match(destroyed.stdout, /✓ Destroyed 2 resource\(s\)/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'scratch')), ['keep.txt']);
    assert.equal(fs.existsSync(path.join(dir, '.clockwork')), false, '.clockwork/ is removed without --keep-files');
  });

  it('deploys the resources after a failing one, reports its error, and records exactly what ran', async () => {
    const dir = makeProject({
      'clockwork.ts': `import { FileResource } from 'clockwork';
export default [
  new FileResource({ name: 'owned.txt', content: 'x', user: 'no-such-user-cw' }),
  new FileResource({ name: 'fine.txt', content: 'fine' }),
];
`,
    });
    const settings = resolveSettings({ projectDir: dir, environment: {} });
    const events: string[] = [];
    const result = await apply({ settings: { ...settings, searchPath: process.env['PATH'] ?? '' }, onEvent: (event) => event.type === 'step' && events.push(event.step) });
    assert.equal(result.ok, false);
    // Nothing is left open, so there is no generating step.
    assert.deepEqual(events, ['loading', 'compiling', 'deploying', 'recording']);
    const owned = result.results.find((r) => r.resource === 'owned.txt');
    assert.equal(owned?.status, 'failed');
    assert.match(owned?.error ?? '', /no-such-user-cw/);
    assert.equal(result.results.find((r) => r.resource === 'fine.txt')?.status, 'changed');
    assert.equal(fs.readFileSync(path.join(dir, 'fine.txt'), 'utf8'), 'fine');
    // The failed one ran in part (the file was written, chown failed): recorded, flagged, retried next time.
    assert.deepEqual(readState(settings.stateDir).map((record) => [record.name, record.failed]), [
      ['owned.txt', true],
      ['fine.txt', undefined],
    ]);
    const cli = await runCli(['apply'], { cwd: dir });
    assert.equal(cli.exitCode, 1);
    assert.match(cli.stdout, /✗ FileResource owned\.txt → owned\.txt: failed\n {6}chown: invalid user: .no-such-user-cw./);
    assert.match(cli.stdout, /✗ Deployment failed: FileResource owned\.txt \(1 unchanged, 1 failed\)$/);
    // The editor applies one resource at a time: only it is touched.
    const one = await apply({ settings: { ...settings, searchPath: process.env['PATH'] ?? '' }, resources: ['fine.txt'] });
    assert.deepEqual(one.results.map((r) => [r.resource, r.status]), [['fine.txt', 'unchanged']]);
    assert.equal(one.ok, true);
    assert.equal(readState(settings.stateDir).length, 2);
    const gone = await destroy({ settings: { ...settings, searchPath: process.env['PATH'] ?? '' }, keepFiles: true });
    assert.equal(gone.ok, true);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['.clockwork', 'clockwork.ts']);
  });
});

describe('apply with an inventory of your own', function () {
  this.timeout(60_000);
  after(removeProjects);

  before(function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
  });

  it('runs PyInfra on PYINFRA_INVENTORY, and reports PyInfra failing before any operation with its own words', async () => {
    const dir = makeProject({
      'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: 'a' })];\n",
      'hosts/broken.py': 'hosts = [\n',
    });
    const run = await runCli(['apply', '--json'], { cwd: dir, env: { PYINFRA_INVENTORY: 'hosts/broken.py' } });
    assert.equal(run.exitCode, 1, run.stderr);
    const result = JSON.parse(run.stdout) as { ok: boolean; results: { resource: string; status: string; error: string }[] };
    assert.equal(result.ok, false);
    assert.equal(result.results[0]?.resource, 'a.txt');
    assert.equal(result.results[0]?.status, 'failed');
    assert.match(result.results[0]?.error ?? '', /^PyInfra exited with code 1:\n[\s\S]*broken\.py/);
    assert.equal(fs.existsSync(path.join(dir, 'a.txt')), false);
    assert.deepEqual(readState(path.join(dir, '.clockwork')), [], 'nothing ran, nothing is recorded');
  });
});

describe('a Docker service with PyInfra', function () {
  this.timeout(120_000);
  after(removeProjects);
  const container = `clockwork-test-${process.pid}`;
  after(() => removeContainer(container));

  before(function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
    else if (!dockerWithTestImage()) skipBecause(this, `docker or ${TEST_IMAGE} is unavailable (bash test/setup/start-dockerd.sh && bash test/setup/build-test-image.sh)`);
  });

  it('runs the test image reachable on 127.0.0.1, leaves it alone when unchanged, recreates it on a new port, then removes it', async () => {
    const [port, newPort] = [await freePort(), await freePort()];
    const project = (p: number): string => `import { DockerServiceResource } from 'clockwork';
export default [
  new DockerServiceResource({ name: '${container}', image: '${TEST_IMAGE}', ports: ['127.0.0.1:${p}:80'], envVars: { GREETING: "hello 'world' $(id)" } }),
];
`;
    const dir = makeProject({ 'clockwork.ts': project(port) });
    const first = await runCli(['apply', '--json'], { cwd: dir });
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.deepEqual((JSON.parse(first.stdout) as { results: { status: string }[] }).results.map((r) => r.status), ['changed']);
    assert.equal(await httpGet(`http://127.0.0.1:${port}/`), 'clockwork test page\n');
    const env = execFileSync('docker', ['inspect', container, '--format', '{{json .Config.Env}}'], { encoding: 'utf8' });
    assert.ok((JSON.parse(env) as string[]).includes("GREETING=hello 'world' $(id)"), env);

    const second = await runCli(['apply'], { cwd: dir });
    assert.equal(second.exitCode, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /= DockerServiceResource .* unchanged/);

    fs.writeFileSync(path.join(dir, 'clockwork.ts'), project(newPort));
    const third = await runCli(['apply'], { cwd: dir });
    assert.equal(third.exitCode, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /✓ DockerServiceResource .*: changed/);
    assert.equal(await httpGet(`http://127.0.0.1:${newPort}/`), 'clockwork test page\n');

    const destroyed = await runCli(['destroy', '--json'], { cwd: dir });
    assert.equal(destroyed.exitCode, 0, destroyed.stdout + destroyed.stderr);
    assert.deepEqual((JSON.parse(destroyed.stdout) as { results: { resource: string; action: string; status: string }[] }).results.map((r) => [r.resource, r.action, r.status]), [
      [container, 'remove', 'changed'],
    ]);
    assert.equal(containerExists(container), false);
  });
});
