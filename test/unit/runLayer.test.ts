/**
 * The run layer (server/src/pipeline/run.ts): one source of a run's events and of its summary.
 * The AI's progress is counted once and only for what the AI writes; the editor's runs (the
 * language server's RunService) report the same events and sum up in the same words as the CLI.
 */
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { CancellationToken } from 'vscode-languageserver/node';
import type { RunEvent } from '../../server/src/pipeline/events.js';
import { run } from '../../server/src/pipeline/run.js';
import { RunService } from '../../server/src/lsp/runService.js';
import { viewEvent } from '../../server/src/render/events.js';
import { summaryLine } from '../../server/src/render/summary.js';
import { aiFile, aiSettings, projectOf } from '../support/aiProject.js';
import { runCli } from '../support/cli.js';
import { FakeOpenAI } from '../support/fakeOpenAI.js';
import { findPyinfra, skipBecause } from '../support/pyinfra.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const KEY = 'fake-key-for-the-run-layer';

/** What an editor's progress indicator and log show for `events`. */
function editorView(events: readonly RunEvent[], cwd: string): { progress: string[]; lines: string[] } {
  const views = events.map((event) => viewEvent(event, cwd));
  return { progress: views.flatMap((view) => (view.progress ? [view.progress] : [])), lines: views.flatMap((view) => view.lines.map((line) => line.text)) };
}

/** The language server's run service, reporting into an array. */
async function editorRun(dir: string, command: 'plan' | 'apply') {
  const events: RunEvent[] = [];
  const service = new RunService();
  const result = await service.run({ command, folderUri: pathToFileURL(dir).toString(), trusted: true, settings: {} }, (event) => events.push(event), CancellationToken.None);
  return { result, events };
}

describe('the run layer', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  before(async () => {
    server = await FakeOpenAI.start(KEY);
    server.script(() => ({ content: 'Written by the loopback model.\n' }));
  });
  after(async () => {
    await server.close();
    removeProjects();
  });

  it('counts the AI progress once, over what the AI writes, and reports no generating step when the cache answers', async () => {
    const dir = makeProject({});
    const project = projectOf(dir, [aiFile('a.md', 'An essay'), aiFile('b.md', 'A poem'), { kind: 'FileResource', spec: { name: 'c.md', content: 'given' } }]);
    const settings = aiSettings(dir, server.url, KEY);

    const first: RunEvent[] = [];
    const generated = await run('generate', { settings, project, onEvent: (event) => first.push(event) });
    assert.equal(generated.ok, true);
    assert.deepEqual(generated.counts, { generated: 2, cached: 0, failed: 0, 'not-needed': 1 });
    assert.deepEqual(first.filter((event) => event.type === 'step').map((event) => [event.step, 'total' in event ? event.total : undefined]), [['generating', 2]]);
    assert.deepEqual(editorView(first, dir).progress, ['Generating 0/2', 'Generating 1/2', 'Generating 2/2']);
    assert.equal(summaryLine(generated), '✓ 2 generated, 0 cached, 0 failed (2 AI request(s))');

    const second: RunEvent[] = [];
    const cached = await run('generate', { settings, project, onEvent: (event) => second.push(event) });
    assert.deepEqual(second.map((event) => event.type), ['generation', 'generation'], 'one event per cached answer, no step');
    assert.deepEqual(editorView(second, dir).progress, [], 'nothing is "Generating" when nothing is generated');
    assert.deepEqual(editorView(second, dir).lines, ['✓ FileResource a.md: cached (test/model-1, ' + cached.generation[0]?.generatedAt + ') → .clockwork/generated/FileResource/a.md', '✓ FileResource b.md: cached (test/model-1, ' + cached.generation[1]?.generatedAt + ') → .clockwork/generated/FileResource/b.md']);
    assert.equal(summaryLine(cached), '✓ 0 generated, 2 cached, 0 failed (0 AI request(s))');
  });

  it('gives the editor the plan and the summary the CLI prints, in the same words', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nconsole.log('hello from clockwork.ts');\nexport default [new FileResource({ name: 'a.txt', content: 'a' })];\n" });
    const cli = await runCli(['plan'], { cwd: dir });
    assert.equal(cli.exitCode, 0, cli.stderr);
    const { result, events } = await editorRun(dir, 'plan');
    assert.equal(result.ok, true, result.summary);
    assert.equal(result.summary, 'Apply would create 1, change 0, leave 0 unchanged and remove 0.');
    assert.ok(cli.stdout.split('\n').includes(result.summary), cli.stdout);
    assert.deepEqual(result.plan?.resources.map((resource) => [resource.name, resource.action, resource.ai]), [['a.txt', 'create', 'none']]);
    assert.deepEqual(editorView(events, dir).progress, ['Loading']);
    const printed = events.flatMap((event) => viewEvent(event, dir).lines).find((line) => line.text === 'hello from clockwork.ts');
    assert.equal(printed?.level, 'info', "what clockwork.ts prints reaches the editor's log");
    assert.ok(!cli.stdout.includes('hello from clockwork.ts'), 'and stays out of the CLI plan');
  });

  it('reports why an editor run stopped, classified, as an error line', async () => {
    const dir = makeProject({ 'clockwork.ts': "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', mode: 'rwx' })];\n" });
    const { result, events } = await editorRun(dir, 'plan');
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'load');
    assert.match(result.summary, /mode: expected an octal mode like "644", got "rwx"/);
    const last = viewEvent(events.at(-1) as RunEvent, dir).lines[0];
    assert.equal(last?.level, 'error');
    assert.match(last?.text ?? '', /FileResource "a\.txt": mode/);
  });

  describe('with PyInfra', () => {
    before(function () {
      if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
    });

    it('applies in the editor with the steps, result lines and summary the CLI shows', async () => {
      const source = "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'a.txt', content: 'a' })];\n";
      const cliDir = makeProject({ 'clockwork.ts': source });
      const cli = await runCli(['apply'], { cwd: cliDir });
      assert.equal(cli.exitCode, 0, cli.stdout + cli.stderr);
      assert.equal(cli.stdout, 'Deploying 1 resource(s) with PyInfra…\n  ✓ FileResource a.txt → a.txt: created\n✓ Deployment successful (1 created)');

      const dir = makeProject({ 'clockwork.ts': source });
      const { result, events } = await editorRun(dir, 'apply');
      assert.equal(result.ok, true, result.summary);
      assert.equal(result.summary, '✓ Deployment successful (1 created)');
      const view = editorView(events, dir);
      assert.deepEqual(view.progress, ['Loading', 'Compiling', 'Deploying', 'Recording']);
      assert.ok(view.lines.includes('✓ FileResource a.txt → a.txt: created'), view.lines.join('\n'));

      const again = await editorRun(dir, 'apply');
      assert.equal(again.result.summary, '✓ Deployment successful (1 unchanged)');
      assert.ok(!editorView(again.events, dir).progress.some((title) => title.startsWith('Generating')));
    });
  });
});
