/**
 * AI generation against a real HTTP server on 127.0.0.1 through the real openai SDK:
 * file content, Docker structured output and its fallbacks, user values winning,
 * the concurrency limit, the cache and cancellation.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DockerServiceResource } from '../../server/src/model/index.js';
import { generateProject, generationStatus, type GenerationEvent } from '../../server/src/pipeline/ai/generate.js';
import { cleanAnswer } from '../../server/src/pipeline/ai/ask.js';
import { AiCancelledError } from '../../server/src/pipeline/ai/errors.js';
import { aiFile, aiService, aiSettings, projectOf } from '../support/aiProject.js';
import { FakeOpenAI, rejectFormat, type ReceivedRequest } from '../support/fakeOpenAI.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const KEY = 'sk-test-0123456789abcdef';

function userPrompt(request: ReceivedRequest | undefined): string {
  return request?.body.messages?.find((message) => message.role === 'user')?.content ?? '';
}

function generatedFiles(dir: string): string[] {
  const root = path.join(dir, '.clockwork', 'generated');
  return fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(root, name)).isFile()) : [];
}

describe('AI generation (loopback endpoint, real openai SDK)', () => {
  let server: FakeOpenAI;
  before(async () => {
    server = await FakeOpenAI.start(KEY);
  });
  after(async () => {
    await server.close();
    removeProjects();
  });

  describe('file content', () => {
    it('asks with the description, name, size and format, strips the code fence and stores a reviewable preview', async () => {
      server.script(() => ({ content: '```markdown\n# Gliders\n\nA glider moves.\n```\n' }));
      const dir = makeProject({});
      const project = projectOf(dir, [aiFile('life.md', "Conway's Game of Life", { size: 'medium', directory: 'docs' })]);
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, KEY) });

      assert.equal(server.requests.length, 1);
      const body = server.requests[0]!.body;
      assert.equal(body.model, 'test/model-1');
      assert.equal(body.max_tokens, 6000);
      assert.equal(body.response_format, undefined);
      const prompt = userPrompt(server.requests[0]);
      assert.match(prompt, /"life\.md"/);
      assert.match(prompt, /Conway's Game of Life/);
      assert.match(prompt, /medium, about 500 to 2,000 words/);
      assert.match(prompt, /Format: Markdown/);

      const [outcome] = result.outcomes;
      assert.equal(outcome?.status, 'generated');
      assert.deepEqual(outcome?.usage, { promptTokens: 10, completionTokens: 20, totalTokens: 30 });
      const [completed] = result.completedResources();
      assert.equal(completed?.spec['content'], '# Gliders\n\nA glider moves.\n');
      assert.equal(outcome?.preview, path.join(dir, '.clockwork/generated/FileResource/life.md'));
      assert.equal(fs.readFileSync(outcome.preview, 'utf8'), '# Gliders\n\nA glider moves.\n');
      const entry = JSON.parse(fs.readFileSync(outcome.cacheFile!, 'utf8'));
      assert.equal(entry.model, 'test/model-1');
      assert.equal(entry.fields.content, '# Gliders\n\nA glider moves.\n');
      assert.equal(entry.usage.totalTokens, 30);
      assert.ok(!Number.isNaN(Date.parse(entry.generatedAt)));
    });

    it('sets the token limit from the size: small 2,000, large 16,000', async () => {
      server.script(() => ({ content: 'words' }));
      const dir = makeProject({});
      const project = projectOf(dir, [aiFile('a.txt', 'short', { size: 'small' }), aiFile('b.txt', 'long', { size: 'large' })]);
      await generateProject({ project, settings: aiSettings(dir, server.url, KEY) });
      const limits = Object.fromEntries(server.requests.map((request) => [userPrompt(request).match(/"(\w\.txt)"/)?.[1], request.body.max_tokens]));
      assert.deepEqual(limits, { 'a.txt': 2000, 'b.txt': 16000 });
    });

    it('switches to max_completion_tokens when the endpoint rejects max_tokens, for the rest of the run', async () => {
      server.script((request) =>
        request.body.max_tokens !== undefined
          ? { status: 400, error: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead." }
          : { content: 'ok' },
      );
      const dir = makeProject({});
      const project = projectOf(dir, [aiFile('a.txt', 'a'), aiFile('b.txt', 'b')]);
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, KEY, { CLOCKWORK_AI_CONCURRENCY: '1' }) });
      assert.deepEqual(result.outcomes.map((outcome) => outcome.status), ['generated', 'generated']);
      const limits = server.requests.map((request) => (request.body as Record<string, unknown>)['max_completion_tokens'] ?? `max_tokens ${request.body.max_tokens}`);
      assert.deepEqual(limits, ['max_tokens 2000', 2000, 2000]);
    });

    it('keeps fences inside the content and strips only a surrounding one', () => {
      assert.equal(cleanAnswer('```json\n{"a": 1}\n```'), '{"a": 1}\n');
      assert.equal(cleanAnswer('<think>hmm</think>\n\nplain'), 'plain');
      const inner = '# Title\n\n```sh\necho hi\n```\n\nEnd.\n';
      assert.equal(cleanAnswer(inner), inner);
      assert.equal(cleanAnswer(`\`\`\`markdown\n${inner}\`\`\``), inner);
    });

    it('sends a JSON parse error back once and keeps the corrected answer', async () => {
      server.script((_request, index) => ({ content: index === 0 ? '{"name": "demo",}' : '```json\n{"name": "demo"}\n```' }));
      const dir = makeProject({});
      const project = projectOf(dir, [aiFile('package.json', 'a package manifest')]);
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, KEY) });
      assert.equal(server.requests.length, 2);
      const repair = server.requests[1]!.body.messages!;
      assert.equal(repair.at(-2)?.role, 'assistant');
      assert.match(repair.at(-1)?.content ?? '', /not valid JSON: .*JSON/);
      assert.deepEqual(JSON.parse(String(result.completedResources()[0]?.spec['content'])), { name: 'demo' });
      assert.equal(result.outcomes[0]?.usage?.totalTokens, 60);
    });

    it('sends a YAML parse error back once, then fails clearly when it is still not YAML', async () => {
      server.script(() => ({ content: 'key: [unclosed\nother: : :' }));
      const dir = makeProject({});
      const project = projectOf(dir, [aiFile('config.yaml', 'service settings')]);
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, KEY) });
      assert.equal(server.requests.length, 2);
      assert.match(userPrompt(server.requests[1]) + server.requests[1]!.body.messages!.at(-1)!.content, /not valid YAML/);
      const [outcome] = result.outcomes;
      assert.equal(outcome?.status, 'failed');
      assert.match(outcome?.error ?? '', new RegExp(`^FileResource "config\\.yaml": the AI endpoint ${server.url.replace(/[./]/g, '\\$&')} \\(model "test/model-1"\\) answered with text that is not valid YAML, even after being asked to correct it`));
      assert.throws(() => result.completedResources(), /AI generation failed for 1 resource\(s\); nothing was deployed/);
      assert.deepEqual(generatedFiles(dir), [], 'a failed generation stores nothing');
    });

    it('accepts valid YAML at once', async () => {
      server.script(() => ({ content: 'name: web\nreplicas: 2\n' }));
      const dir = makeProject({});
      const result = await generateProject({ project: projectOf(dir, [aiFile('app.yml', 'deployment')]), settings: aiSettings(dir, server.url, KEY) });
      assert.equal(server.requests.length, 1);
      assert.deepEqual(parseYaml(String(result.completedResources()[0]?.spec['content'])), { name: 'web', replicas: 2 });
    });
  });

  describe('Docker service (structured output)', () => {
    const answer = JSON.stringify({ image: 'redis:7.2-alpine', ports: ['127.0.0.1:6379:6379'], envVars: { REDIS_ARGS: '--save 60 1' } });

    it('asks for image, ports and envVars with a json_schema derived from the resource schema', async () => {
      server.script(() => ({ content: answer }));
      const dir = makeProject({});
      const result = await generateProject({ project: projectOf(dir, [aiService('cache', 'an in-memory cache')]), settings: aiSettings(dir, server.url, KEY) });
      const format = server.requests[0]!.body.response_format;
      assert.equal(format?.type, 'json_schema');
      assert.equal(format?.json_schema?.name, 'docker_service');
      const schema = format?.json_schema?.schema as { properties: Record<string, { pattern?: string }>; required: string[] };
      assert.deepEqual(Object.keys(schema.properties).sort(), ['envVars', 'image', 'ports']);
      assert.deepEqual([...schema.required].sort(), ['envVars', 'image', 'ports']);
      // The image rule is the resource schema's own, not a copy.
      const resourceSchema = z.toJSONSchema(DockerServiceResource.definition.schema, { io: 'input' }) as { properties: Record<string, { pattern?: string }> };
      assert.ok(schema.properties['image']?.pattern);
      assert.equal(schema.properties['image']?.pattern, resourceSchema.properties['image']?.pattern);
      assert.match(userPrompt(server.requests[0]), /an in-memory cache/);
      const spec = result.completedResources()[0]?.spec;
      assert.equal(spec?.['image'], 'redis:7.2-alpine');
      assert.deepEqual(spec?.['ports'], ['127.0.0.1:6379:6379']);
      assert.deepEqual(spec?.['envVars'], { REDIS_ARGS: '--save 60 1' });
      assert.equal(fs.readFileSync(result.outcomes[0]!.preview!, 'utf8').includes('redis:7.2-alpine'), true);
    });

    it('lets values the user gave win: only the open fields are asked for, extras in the answer are ignored', async () => {
      server.script(() => ({ content: answer }));
      const dir = makeProject({});
      const project = projectOf(dir, [aiService('cache', 'a cache', { ports: ['127.0.0.1:7000:6379'], envVars: { MODE: 'user' } })]);
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, KEY) });
      const schema = server.requests[0]!.body.response_format?.json_schema?.schema as { properties: Record<string, unknown> };
      assert.deepEqual(Object.keys(schema.properties), ['image']);
      assert.match(userPrompt(server.requests[0]), /Already given by the user.*127\.0\.0\.1:7000:6379/);
      const spec = result.completedResources()[0]?.spec;
      assert.equal(spec?.['image'], 'redis:7.2-alpine');
      assert.deepEqual(spec?.['ports'], ['127.0.0.1:7000:6379']);
      assert.deepEqual(spec?.['envVars'], { MODE: 'user' });
    });

    it('makes no request for a resource whose open fields the user gave', async () => {
      server.script(() => ({ content: answer }));
      const dir = makeProject({});
      const project = projectOf(dir, [
        { kind: 'DockerServiceResource', spec: { name: 'web', image: 'nginx:1.27' } },
        { kind: 'FileResource', spec: { name: 'a.txt', description: 'x', content: 'mine' } },
      ]);
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, undefined) });
      assert.equal(server.requests.length, 0);
      assert.deepEqual(result.outcomes.map((outcome) => outcome.status), ['not-needed', 'not-needed']);
      assert.equal(result.completedResources()[1]?.spec['content'], 'mine');
    });

    it('falls back to JSON mode when json_schema is rejected, and remembers it for the run', async () => {
      server.script((request) => (request.body.response_format?.type === 'json_schema' ? rejectFormat('json_schema') : { content: answer }));
      const dir = makeProject({});
      const notes: string[] = [];
      const project = projectOf(dir, [aiService('one', 'a cache'), aiService('two', 'another cache')]);
      const result = await generateProject({
        project,
        settings: aiSettings(dir, server.url, KEY, { CLOCKWORK_AI_CONCURRENCY: '1' }),
        onEvent: (event) => event.type === 'note' && notes.push(event.message),
      });
      assert.deepEqual(server.requests.map((request) => request.body.response_format?.type), ['json_schema', 'json_object', 'json_object']);
      assert.match(userPrompt(server.requests[1]), /JSON schema/);
      assert.deepEqual(result.outcomes.map((outcome) => outcome.status), ['generated', 'generated']);
      assert.equal(notes.length, 1);
      assert.match(notes[0] ?? '', /rejected response_format json_schema .*using JSON mode/);
    });

    it('falls back to plain text when JSON mode is rejected too, and repairs an answer that fails the schema once', async () => {
      let textAnswers = 0;
      server.script((request) => {
        const type = request.body.response_format?.type;
        if (type) return rejectFormat(type);
        textAnswers += 1;
        return { content: textAnswers === 1 ? 'Sure! {"image": "has spaces in it", "ports": [], "envVars": {}}' : `\`\`\`json\n${answer}\n\`\`\`` };
      });
      const dir = makeProject({});
      const result = await generateProject({ project: projectOf(dir, [aiService('cache', 'a cache')]), settings: aiSettings(dir, server.url, KEY) });
      assert.deepEqual(server.requests.map((request) => request.body.response_format?.type ?? 'text'), ['json_schema', 'json_object', 'text', 'text']);
      assert.match(server.requests[3]!.body.messages!.at(-1)!.content, /not valid: it is not JSON/);
      assert.equal(result.completedResources()[0]?.spec['image'], 'redis:7.2-alpine');
      assert.equal(JSON.parse(fs.readFileSync(result.outcomes[0]!.cacheFile!, 'utf8')).mode, 'text');
    });
  });

  describe('concurrency, cache and cancellation', () => {
    it('runs at most CLOCKWORK_AI_CONCURRENCY requests at once', async () => {
      server.script(() => ({ content: 'text', latencyMs: 150 }));
      const dir = makeProject({});
      const project = projectOf(dir, Array.from({ length: 9 }, (_, index) => aiFile(`f${index}.txt`, `file ${index}`)));
      const started = Date.now();
      const result = await generateProject({ project, settings: aiSettings(dir, server.url, KEY, { CLOCKWORK_AI_CONCURRENCY: '3' }) });
      const elapsed = Date.now() - started;
      assert.equal(server.requests.length, 9);
      assert.equal(server.maxInFlight, 3);
      assert.ok(elapsed >= 3 * 150 && elapsed < 9 * 150, `9 requests of 150 ms, 3 at a time, took ${elapsed} ms`);
      assert.ok(result.outcomes.every((outcome) => outcome.status === 'generated'));
    });

    it('reuses the cache: a second run makes no request; changing one description regenerates that one; --force all', async () => {
      server.script((request) => ({ content: `about: ${userPrompt(request).match(/contain: (.*)/)?.[1]}` }));
      const dir = makeProject({});
      const declared = [aiFile('a.txt', 'apples'), aiFile('b.txt', 'bananas'), aiService('svc', 'a web server')];
      server.script((request) =>
        request.body.response_format ? { content: '{"image": "nginx:1.27", "ports": [], "envVars": {}}' } : { content: `about: ${userPrompt(request).match(/contain: (.*)/)?.[1]}` },
      );
      const settings = aiSettings(dir, server.url, KEY);
      const first = await generateProject({ project: projectOf(dir, declared), settings });
      assert.equal(server.requests.length, 3);
      assert.equal(first.requests, 3);

      server.reset();
      const second = await generateProject({ project: projectOf(dir, declared), settings });
      assert.equal(server.requests.length, 0);
      assert.equal(second.requests, 0);
      assert.deepEqual(second.outcomes.map((outcome) => outcome.status), ['cached', 'cached', 'cached']);
      assert.equal(second.completedResources()[1]?.spec['content'], 'about: bananas');
      assert.deepEqual(
        [...generationStatus(projectOf(dir, declared), settings).values()],
        ['cached', 'cached', 'cached'],
      );

      const changed = [aiFile('a.txt', 'apples'), aiFile('b.txt', 'blueberries'), aiService('svc', 'a web server')];
      assert.deepEqual([...generationStatus(projectOf(dir, changed), settings).values()], ['cached', 'will generate', 'cached']);
      const third = await generateProject({ project: projectOf(dir, changed), settings });
      assert.equal(server.requests.length, 1);
      assert.match(userPrompt(server.requests[0]), /blueberries/);
      assert.deepEqual(third.outcomes.map((outcome) => outcome.status), ['cached', 'generated', 'cached']);
      assert.equal(third.completedResources()[1]?.spec['content'], 'about: blueberries');

      server.reset();
      const resized = [aiFile('a.txt', 'apples', { size: 'large' }), aiFile('b.txt', 'blueberries'), aiService('svc', 'a web server')];
      await generateProject({ project: projectOf(dir, resized), settings });
      assert.equal(server.requests.length, 1, 'changing the size regenerates that resource alone');

      server.reset();
      const forced = await generateProject({ project: projectOf(dir, changed), settings, force: true });
      assert.equal(server.requests.length, 3);
      assert.ok(forced.outcomes.every((outcome) => outcome.status === 'generated'));

      server.reset();
      const one = await generateProject({ project: projectOf(dir, changed), settings, force: true, resources: ['svc'] });
      assert.equal(server.requests.length, 1);
      assert.deepEqual(one.outcomes.map((outcome) => outcome.name), ['svc']);

      server.reset();
      await generateProject({ project: projectOf(dir, changed), settings: aiSettings(dir, server.url, KEY, { OPENROUTER_MODEL: 'other/model' }) });
      assert.equal(server.requests.length, 3, 'another model regenerates');
    });

    it('needs no API key when everything is cached', async () => {
      server.script(() => ({ content: 'cached text' }));
      const dir = makeProject({});
      const declared = [aiFile('a.txt', 'apples')];
      await generateProject({ project: projectOf(dir, declared), settings: aiSettings(dir, server.url, KEY) });
      const again = await generateProject({ project: projectOf(dir, declared), settings: aiSettings(dir, server.url, undefined) });
      assert.equal(again.completedResources()[0]?.spec['content'], 'cached text');
    });

    it('stops requests in flight when cancelled and stores nothing', async () => {
      server.script(() => ({ content: 'never', latencyMs: 3000 }));
      const dir = makeProject({});
      const project = projectOf(dir, [aiFile('a.txt', 'a'), aiFile('b.txt', 'b'), aiService('svc', 'web')]);
      const controller = new AbortController();
      const events: GenerationEvent[] = [];
      const started = Date.now();
      setTimeout(() => controller.abort(), 200);
      await assert.rejects(
        generateProject({ project, settings: aiSettings(dir, server.url, KEY), signal: controller.signal, onEvent: (event) => events.push(event) }),
        AiCancelledError,
      );
      assert.ok(Date.now() - started < 1500, `cancellation took ${Date.now() - started} ms`);
      assert.equal(server.requests.length, 3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(server.abandoned, 3, 'the HTTP requests were aborted');
      assert.deepEqual(generatedFiles(dir), []);
      assert.ok(!events.some((event) => event.type === 'finished'));
    });
  });
});
