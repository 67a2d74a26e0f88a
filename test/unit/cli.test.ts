import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../support/cli.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';

describe('clockwork CLI', function () {
  this.timeout(30_000);
  after(removeProjects);

  it('plans the file-generation example: three resources, two written by the AI', async () => {
    const run = await runCli(['plan', '--dir', 'examples/file-generation']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /Plan for examples\/file-generation\/clockwork\.ts: 3 resource\(s\)/);
    assert.match(run.stdout, /FileResource game_of_life\.md → examples\/file-generation\/scratch\/game_of_life\.md {2}\[AI: will generate \(content\)\]/);
    assert.match(run.stdout, /FileResource clockwork_poem\.txt → examples\/file-generation\/scratch\/clockwork_poem\.txt {2}\[AI: will generate \(content\)\]/);
    assert.match(run.stdout, /FileResource README\.md → examples\/file-generation\/scratch\/README\.md\n/);
    assert.match(run.stdout, /2 resource\(s\) need the AI\./);
  });

  it('gives the same plan as one JSON document with --json', async () => {
    const run = await runCli(['plan', '--dir', 'examples/file-generation', '--json']);
    assert.equal(run.exitCode, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { resources: { name: string; aiFields: string[]; target: { id: string } }[] };
    assert.deepEqual(
      plan.resources.map((r) => [r.name, r.aiFields]),
      [['game_of_life.md', ['content']], ['clockwork_poem.txt', ['content']], ['README.md', []]],
    );
    assert.equal(plan.resources[0]?.target.id, path.join(repoRoot, 'examples/file-generation/scratch/game_of_life.md'));
  });

  it('plans the docker-service example', async () => {
    const run = await runCli(['plan', '--dir', 'examples/docker-service']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /DockerServiceResource clockwork-demo → container clockwork-demo\n/);
    assert.match(run.stdout, /assert PortAccessibleAssert \(port 8080\)/);
  });

  it('exits 2 with the message on stderr, and a JSON error on stdout under --json, for invalid input', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [\n  new FileResource({ name: 'notes.md', mode: 'rwx' }),\n];\n" });
    const human = await runCli(['plan'], { cwd: dir });
    assert.equal(human.exitCode, 2);
    assert.equal(human.stdout, '');
    assert.equal(human.stderr, '✗ clockwork.ts:3:3 FileResource "notes.md": mode: expected an octal mode like "644", got "rwx"');
    const json = await runCli(['plan', '--json'], { cwd: dir });
    assert.equal(json.exitCode, 2);
    const document = JSON.parse(json.stdout) as { ok: boolean; error: { type: string; problems: { location: { line: number } }[] } };
    assert.equal(document.ok, false);
    assert.equal(document.error.type, 'ClockworkLoadError');
    assert.equal(document.error.problems[0]?.location.line, 3);
  });

  it('reports a bad setting as a configuration error (exit 2)', async () => {
    const run = await runCli(['plan', '--dir', 'examples/file-generation'], { env: { LOG_LEVEL: 'LOUD' } });
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /LOG_LEVEL \(from the environment\): expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "LOUD"/);
  });

  it('prints help, version, and usage errors with exit 2', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /Usage: clockwork <command> \[options\]/);
    assert.match(help.stdout, /\n {2}plan +Show what clockwork\.ts declares/);
    const version = await runCli(['--version']);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout, manifest.version);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badFlag = await runCli(['plan', '--colour']);
    assert.equal(badFlag.exitCode, 2);
    assert.match(badFlag.stderr, /Unknown option '--colour'/);
    const commandHelp = await runCli(['plan', '--help']);
    assert.match(commandHelp.stdout, /Usage: clockwork plan \[--dir DIR\] \[--host NAME\]\.\.\. \[--json\]/);
  });
});
