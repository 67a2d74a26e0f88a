/**
 * Every way AI generation can fail, each with a message that names the resource and the
 * endpoint, and never the API key: no key, endpoint down, 401, 429 after retries, 5xx,
 * unknown model, junk instead of JSON.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { generateProject, UnknownResourceError, type GenerationEvent } from '../../server/src/pipeline/ai/generate.js';
import { AiKeyMissingError } from '../../server/src/pipeline/ai/errors.js';
import { aiFile, aiService, aiSettings, projectOf, type Declared } from '../support/aiProject.js';
import { FakeOpenAI } from '../support/fakeOpenAI.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const KEY = 'sk-test-0123456789abcdef';
const WRONG_KEY = 'sk-wrong-key-ABCDEF987654';

/** Every text a user could see: messages, events, and every file under .clockwork/. */
const seen: string[] = [];
const dirs: string[] = [];

async function failure(serverUrl: string, declared: Declared[], key = KEY): Promise<string> {
  const dir = makeProject({});
  dirs.push(dir);
  const events: GenerationEvent[] = [];
  const result = await generateProject({ project: projectOf(dir, declared), settings: aiSettings(dir, serverUrl, key), onEvent: (event) => events.push(event) });
  seen.push(JSON.stringify(events), JSON.stringify(result.outcomes));
  const failed = result.outcomes.find((outcome) => outcome.status === 'failed');
  assert.ok(failed, 'a resource failed');
  assert.throws(() => result.completedResources(), (error: Error) => {
    seen.push(error.message);
    return /nothing was deployed/.test(error.message);
  });
  return failed.error ?? '';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('AI generation errors', () => {
  let server: FakeOpenAI;
  before(async () => {
    server = await FakeOpenAI.start(KEY);
  });
  after(async () => {
    await server.close();
    removeProjects();
  });

  it('no API key: names each resource that needs the AI and how to set the key or give the value (exit 2)', async () => {
    const dir = makeProject({});
    const project = projectOf(dir, [aiFile('a.txt', 'x'), { kind: 'FileResource', spec: { name: 'b.txt', content: 'given' } }, aiService('svc', 'web')]);
    await assert.rejects(generateProject({ project, settings: aiSettings(dir, server.url, undefined) }), (error: Error) => {
      assert.ok(error instanceof AiKeyMissingError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /The AI must fill in 2 resource\(s\), but no API key is set/);
      assert.match(error.message, /FileResource "a\.txt" \(.*clockwork\.ts:3:3\): content/);
      assert.match(error.message, /DockerServiceResource "svc" \(.*\): image/);
      assert.doesNotMatch(error.message, /b\.txt/);
      assert.match(error.message, /OPENROUTER_API_KEY/);
      assert.match(error.message, /--api-key/);
      assert.match(error.message, /\.env/);
      assert.match(error.message, /give the value\(s\) yourself in clockwork\.ts \(the content of a FileResource, the image of a DockerServiceResource\)/);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  it('endpoint down: "cannot reach", connection refused, with the endpoint', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const message = await failure(`http://127.0.0.1:${port}/v1`, [aiFile('a.txt', 'x')]);
    assert.equal(
      message,
      `FileResource "a.txt": cannot reach the AI endpoint http://127.0.0.1:${port}/v1 (model "test/model-1") (connection refused) after 3 attempts: is the server running and is OPENROUTER_BASE_URL (--base-url) right?`,
    );
  });

  it('401: the key was rejected, and the key the server echoed is redacted', async () => {
    server.reset();
    const message = await failure(server.url, [aiFile('a.txt', 'x')], WRONG_KEY);
    assert.equal(server.requests.length, 1, 'a 401 is not retried');
    assert.equal(server.requests[0]?.authorization, `Bearer ${WRONG_KEY}`);
    assert.match(message, new RegExp(`^FileResource "a\\.txt": the AI endpoint ${escape(server.url)} \\(model "test/model-1"\\) rejected the API key \\(401 Unauthorized: Incorrect API key provided: \\[redacted\\]\\); check OPENROUTER_API_KEY or --api-key$`));
  });

  it('429: retried by the SDK as the server asks (retry-after-ms), then a clear message', async () => {
    server.script(() => ({ status: 429, error: 'Rate limit exceeded', headers: { 'retry-after-ms': '20' } }));
    const message = await failure(server.url, [aiService('svc', 'web')]);
    assert.equal(server.requests.length, 3);
    assert.match(message, new RegExp(`^DockerServiceResource "svc": the AI endpoint ${escape(server.url)} \\(model "test/model-1"\\) is rate-limiting requests \\(429 Too Many Requests: Rate limit exceeded\\) and still was after 2 retries`));
  });

  it('500 once: the SDK retries and the generation succeeds', async () => {
    server.script((_request, index) => (index === 0 ? { status: 500, error: 'upstream hiccup', headers: { 'retry-after-ms': '10' } } : { content: 'fine' }));
    const dir = makeProject({});
    const result = await generateProject({ project: projectOf(dir, [aiFile('a.txt', 'x')]), settings: aiSettings(dir, server.url, KEY) });
    assert.equal(server.requests.length, 2);
    assert.equal(result.completedResources()[0]?.spec['content'], 'fine');
  });

  it('500 every time: fails after the retries, naming the status', async () => {
    server.script(() => ({ status: 503, error: 'overloaded', headers: { 'retry-after-ms': '10' } }));
    const message = await failure(server.url, [aiFile('a.txt', 'x')]);
    assert.equal(server.requests.length, 3);
    assert.match(message, /^FileResource "a\.txt": the AI endpoint .* failed with 503 \(overloaded\) after 2 retries; try again later$/);
  });

  it('unknown model (404): says the model may not exist and how to change it', async () => {
    server.script((request) => ({ status: 404, error: `The model \`${request.body.model}\` does not exist` }));
    const message = await failure(server.url, [aiFile('a.txt', 'x')]);
    assert.match(message, /^FileResource "a\.txt": the AI endpoint .* \(model "test\/model-1"\) answered 404 Not Found \(The model `test\/model-1` does not exist\): the model may not exist there \(check OPENROUTER_MODEL or --model\)/);
  });

  it('a base URL that is not an API (404 on the path) gets the same hint about the base URL', async () => {
    const message = await failure(server.url.replace(/\/v1$/, '/nope'), [aiFile('a.txt', 'x')]);
    assert.match(message, /404 Not Found .*it usually ends in \/v1; check OPENROUTER_BASE_URL or --base-url/);
  });

  it('junk instead of a JSON response: names the endpoint and what is wrong', async () => {
    server.script(() => ({ raw: '<html>proxy error</html>' }));
    const message = await failure(server.url, [aiFile('a.txt', 'x')]);
    assert.match(message, /^FileResource "a\.txt": the AI endpoint .* answered with something that is not an OpenAI-compatible JSON response/);
  });

  it('junk instead of the JSON object asked for: one repair request, then a clear message', async () => {
    server.script(() => ({ content: 'I think nginx would be great!' }));
    const message = await failure(server.url, [aiService('svc', 'web')]);
    assert.equal(server.requests.length, 2);
    assert.match(message, /^DockerServiceResource "svc": the AI endpoint .* did not answer with the JSON object asked for, even after being asked to correct it: it is not JSON \(.*\) \(the answer began "I think nginx would be great!"\)$/);
  });

  it('an empty answer that ran out of tokens says so', async () => {
    server.script(() => ({ content: '', finishReason: 'length' }));
    const message = await failure(server.url, [aiFile('a.txt', 'x', { size: 'small' })]);
    assert.match(message, /returned an empty answer \(it used its whole budget of 2000 tokens first/);
  });

  it('an unknown --resource name is reported with the names that exist', async () => {
    const dir = makeProject({});
    await assert.rejects(
      generateProject({ project: projectOf(dir, [aiFile('a.txt', 'x')]), settings: aiSettings(dir, server.url, KEY), resources: ['nope'] }),
      (error: Error) => error instanceof UnknownResourceError && /"nope": no such resource in .*clockwork\.ts \(it declares "a\.txt"\)/.test(error.message),
    );
  });

  it('the API key appears in no message, event or file under .clockwork/', () => {
    assert.ok(seen.length > 10);
    for (const text of seen) {
      assert.ok(!text.includes(KEY) && !text.includes(WRONG_KEY), `leaked in: ${text.slice(0, 200)}`);
    }
    for (const dir of dirs) {
      const root = path.join(dir, '.clockwork');
      if (!fs.existsSync(root)) continue;
      for (const name of fs.readdirSync(root, { recursive: true }) as string[]) {
        const file = path.join(root, name);
        if (fs.statSync(file).isFile()) assert.ok(!fs.readFileSync(file, 'utf8').includes(KEY), `leaked in ${file}`);
      }
    }
  });
});
