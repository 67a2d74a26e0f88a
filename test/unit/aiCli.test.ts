/**
 * End to end: the file-generation example, copied to a temporary folder, through the built
 * `clockwork` CLI against the loopback OpenAI-compatible server: generate, the zero-request
 * second run, plan's AI status, the missing-key error, and apply when PyInfra is installed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../support/cli.js';
import { FakeOpenAI } from '../support/fakeOpenAI.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';
import { requirePyinfra } from '../support/tools.js';

const KEY = 'fake-key-for-the-loopback-server';
const example = fs.readFileSync(path.join(repoRoot, 'examples/file-generation/clockwork.ts'), 'utf8');


describe('clockwork generate (CLI, loopback endpoint)', () => {
  let server: FakeOpenAI;
  let env: Record<string, string>;
  before(async () => {
    server = await FakeOpenAI.start(KEY);
    env = { OPENROUTER_BASE_URL: server.url, OPENROUTER_API_KEY: KEY, OPENROUTER_MODEL: 'test/model-1' };
    server.script((request) => {
      const prompt = request.body.messages?.find((message) => message.role === 'user')?.content ?? '';
      const article = "# Conway's Game of Life\n\n" + 'Conway devised a cellular automaton with simple rules. '.repeat(20) + '\n';
      return { content: prompt.includes('game_of_life.md') ? `\`\`\`markdown\n${article}\`\`\`` : 'Gears turn in time,\nprecise and patient, ticking.\n' };
    });
  });
  after(async () => {
    await server.close();
    removeProjects();
  });

  it('generates the example, then reuses it with zero requests; plan shows AI: cached', async () => {
    const dir = makeProject({ 'clockwork.ts': example });
    const before = await runCli(['plan', '--dir', dir], { env: { ...env, OPENROUTER_API_KEY: undefined as unknown as string } });
    assert.equal(before.exitCode, 0, before.stderr);
    assert.match(before.stdout, /game_of_life\.md {2}\[AI: will generate \(content\)\]/);

    server.reset();
    const first = await runCli(['generate', '--dir', dir], { env });
    assert.equal(first.exitCode, 0, first.stderr);
    assert.equal(server.requests.length, 2);
    assert.match(first.stdout, /Generating with test\/model-1 at http:\/\/127\.0\.0\.1:\d+\/v1 \(at most 4 at a time\)/);
    assert.match(first.stdout, /✓ FileResource game_of_life\.md: generated in [\d.]+ s, 30 tokens → .*\.clockwork\/generated\/FileResource\/game_of_life\.md/);
    assert.match(first.stdout, /– FileResource README\.md: nothing to generate/);
    assert.match(first.stdout, /✓ 2 generated, 0 cached, 0 failed \(2 AI request\(s\)\)/);
    const preview = fs.readFileSync(path.join(dir, '.clockwork/generated/FileResource/game_of_life.md'), 'utf8');
    assert.match(preview, /^# Conway's Game of Life\n/);
    assert.ok(!preview.includes('```'));

    server.reset();
    const second = await runCli(['generate', '--dir', dir], { env });
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(server.requests.length, 0);
    assert.match(second.stdout, /0 generated, 2 cached, 0 failed \(0 AI request\(s\)\)/);

    const plan = await runCli(['plan', '--dir', dir], { env: { ...env, OPENROUTER_API_KEY: undefined as unknown as string } });
    assert.equal(plan.exitCode, 0, plan.stderr);
    assert.match(plan.stdout, /game_of_life\.md {2}\[AI: cached \(content\)\]/);
    assert.match(plan.stdout, /clockwork_poem\.txt {2}\[AI: cached \(content\)\]/);
    assert.match(plan.stdout, /Nothing needs the AI \(2 cached\)\./);

    const forced = await runCli(['generate', '--dir', dir, '--force', '--resource', 'clockwork_poem.txt', '--json'], { env });
    assert.equal(forced.exitCode, 0, forced.stderr);
    const report = JSON.parse(forced.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.requests, 1);
    assert.deepEqual(
      report.resources.map((resource: { name: string; status: string }) => [resource.name, resource.status]),
      [['clockwork_poem.txt', 'generated']],
    );
    assert.equal(report.resources[0].values.content, 'Gears turn in time,\nprecise and patient, ticking.\n');
    for (const run of [first, second, plan, forced]) assert.ok(!`${run.stdout}${run.stderr}`.includes(KEY));
  });

  it('takes --base-url, --model and --api-key over the environment', async () => {
    const dir = makeProject({ 'clockwork.ts': example });
    server.reset();
    const run = await runCli(['generate', '--dir', dir, '--base-url', server.url, '--model', 'flag/model', '--api-key', KEY], {
      env: { OPENROUTER_BASE_URL: 'http://127.0.0.1:9/v1', OPENROUTER_API_KEY: 'wrong-key' },
    });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(server.requests.map((request) => request.body.model), ['flag/model', 'flag/model']);
  });

  it('exits 2 without a key, naming the resources that need the AI; plan needs no key', async () => {
    const dir = makeProject({ 'clockwork.ts': example });
    const run = await runCli(['generate', '--dir', dir], { env: { OPENROUTER_BASE_URL: server.url } });
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /The AI must fill in 2 resource\(s\), but no API key is set:/);
    assert.match(run.stderr, /FileResource "game_of_life\.md" \(.*clockwork\.ts:6:3\): content/);
    assert.match(run.stderr, /FileResource "clockwork_poem\.txt" \(.*\): content/);
    assert.match(run.stderr, /OPENROUTER_API_KEY/);
    const json = await runCli(['generate', '--dir', dir, '--json'], { env: { OPENROUTER_BASE_URL: server.url } });
    assert.equal(json.exitCode, 2);
    assert.equal(JSON.parse(json.stdout).error.type, 'AiKeyMissingError');
  });

  it('exits 1 and names the resource and endpoint when generation fails', async () => {
    const dir = makeProject({ 'clockwork.ts': example });
    const run = await runCli(['generate', '--dir', dir], { env: { ...env, OPENROUTER_API_KEY: 'not-the-key' } });
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /✗ FileResource "game_of_life\.md": the AI endpoint http:\/\/127\.0\.0\.1:\d+\/v1 \(model "test\/model-1"\) rejected the API key/);
    assert.ok(!run.stderr.includes('not-the-key'));
  });

  it('applies the example, asserts it (all pass), re-applies with zero AI requests, destroys it (all fail)', async function () {
    requirePyinfra(this);
    this.timeout(120_000);
    const dir = makeProject({ 'clockwork.ts': example });
    server.reset();
    const first = await runCli(['apply', '--dir', dir], { env });
    assert.equal(first.exitCode, 0, `${first.stdout}\n${first.stderr}`);
    assert.equal(server.requests.length, 2);
    assert.match(first.stdout, /^Generating with test\/model-1 at http:\/\/127\.0\.0\.1:\d+\/v1 \(at most 4 at a time\)\n/);
    assert.match(first.stdout, /✓ FileResource game_of_life\.md: generated in [\d.]+ s, 30 tokens → /);
    assert.match(fs.readFileSync(path.join(dir, 'scratch/game_of_life.md'), 'utf8'), /^# Conway's Game of Life\n/);
    assert.equal(fs.readFileSync(path.join(dir, 'scratch/clockwork_poem.txt'), 'utf8'), 'Gears turn in time,\nprecise and patient, ticking.\n');

    const plan = await runCli(['plan', '--dir', dir], { env: { ...env, OPENROUTER_API_KEY: undefined as unknown as string } });
    assert.equal(plan.exitCode, 0, plan.stderr);
    assert.match(plan.stdout, /= FileResource game_of_life\.md → .*\[AI: cached \(content\)\]/);
    assert.match(plan.stdout, /Apply would create 0, change 0, leave 3 unchanged and remove 0\./);

    server.reset();
    const again = await runCli(['apply', '--dir', dir], { env: { ...env, OPENROUTER_API_KEY: undefined as unknown as string } });
    assert.equal(again.exitCode, 0, `${again.stdout}\n${again.stderr}`);
    assert.equal(server.requests.length, 0, 're-apply with nothing changed makes no AI request (and needs no key)');
    assert.doesNotMatch(again.stdout, /Generating/, 'nothing is generated, so no "Generating 0/2… 1/2… 2/2…"');
    assert.match(again.stdout, /^Deploying 3 resource\(s\) with PyInfra…\n/);

    // The example's own assertions pass after apply, each on its own line...
    const passing = await runCli(['assert', '--dir', dir], { env: {} });
    assert.equal(passing.exitCode, 0, `${passing.stdout}\n${passing.stderr}`);
    assert.match(passing.stdout, /^✓ All assertions passed \(7\)$/m);
    assert.equal(passing.stdout.split('\n').filter((line) => line.startsWith('  ✓ ')).length, 7);

    const destroyed = await runCli(['destroy', '--dir', dir], { env: {} });
    assert.equal(destroyed.exitCode, 0, `${destroyed.stdout}\n${destroyed.stderr}`);
    assert.ok(!fs.existsSync(path.join(dir, 'scratch/game_of_life.md')));

    // ...and fail as expected once destroyed, each with its actual value.
    // (PyInfra runs a host's checks one after another; here they run as sh, four at a time.)
    const failing = await runCli(['assert', '--dir', dir, '--json'], { env: { PATH: '/usr/bin:/bin' } });
    assert.equal(failing.exitCode, 1, failing.stderr);
    const report = JSON.parse(failing.stdout) as { results: { status: string; assertion: { kind: string } }[] };
    assert.equal(report.results.length, 7);
    assert.ok(report.results.every((result) => result.status === 'failed'), JSON.stringify(report.results.map((r) => r.status)));
  });

  it('deploys nothing when a generation fails', async function () {
    requirePyinfra(this);
    const dir = makeProject({ 'clockwork.ts': example });
    const run = await runCli(['apply', '--dir', dir], { env: { ...env, OPENROUTER_API_KEY: 'not-the-key' } });
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /AI generation failed for 2 resource\(s\); nothing was deployed/);
    assert.ok(!fs.existsSync(path.join(dir, 'scratch')), 'no file was written');
    assert.ok(!fs.existsSync(path.join(dir, '.clockwork/state.json')));
  });
});
