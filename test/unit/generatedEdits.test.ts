/**
 * What you see is what is deployed: an edit of `.clockwork/generated/<kind>/<name>` is what
 * apply deploys, and it is kept until that resource is generated again; a new generation
 * never drops an edit silently (it is kept in generated/replaced/). A Docker service's JSON
 * preview may be edited too, but must still fit its schema. The AI is a real OpenAI-compatible
 * server on 127.0.0.1 through the real SDK; the deploy is real PyInfra.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateProject } from '../../server/src/pipeline/ai/generate.js';
import { apply } from '../../server/src/pipeline/apply.js';
import { aiFile, aiService, aiSettings, projectOf } from '../support/aiProject.js';
import { FakeOpenAI } from '../support/fakeOpenAI.js';
import { findPyinfra, skipBecause } from '../support/pyinfra.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const KEY = 'sk-test-edits-0123456789';

describe('edited previews of generated content', function () {
  this.timeout(90_000);
  let server: FakeOpenAI;
  let answers = 0;
  before(async () => {
    server = await FakeOpenAI.start(KEY);
  });
  after(async () => {
    await server.close();
    removeProjects();
  });
  beforeEach(() => {
    answers = 0;
    server.script(() => ({ content: `The AI's text, take ${++answers}.\n` }));
  });

  it('deploys the edited file, keeps the edit on later runs, and keeps it aside when generate --force replaces it', async function () {
    if (!findPyinfra()) skipBecause(this, 'pyinfra is not on PATH (pipx install pyinfra)');
    const dir = makeProject({});
    const settings = { ...aiSettings(dir, server.url, KEY), searchPath: process.env['PATH'] ?? '' };
    const project = projectOf(dir, [aiFile('notes.md', 'Release notes', { directory: 'scratch' })]);
    const first = await generateProject({ project, settings });
    const preview = first.outcomes[0]?.preview as string;
    assert.equal(preview, path.join(dir, '.clockwork/generated/FileResource/notes.md'));
    assert.equal(fs.readFileSync(preview, 'utf8'), "The AI's text, take 1.\n");

    // The user reviews and edits the preview, then applies: the edit is deployed, no new request.
    fs.writeFileSync(preview, '# Reviewed by a person\n');
    const notes: string[] = [];
    const applied = await apply({ settings, project, onEvent: (event) => event.type === 'note' && notes.push(event.message) });
    assert.equal(applied.ok, true, applied.error);
    assert.equal(fs.readFileSync(path.join(dir, 'scratch/notes.md'), 'utf8'), '# Reviewed by a person\n');
    assert.equal(applied.generation[0]?.edited, true);
    assert.match(notes.join('\n'), /FileResource "notes\.md": using your edit of .*generated\/FileResource\/notes\.md/);
    assert.equal(server.requests.length, 1, 'only the first generation asked the AI');

    // Kept on the next runs.
    const again = await generateProject({ project, settings });
    assert.equal(again.outcomes[0]?.status, 'cached');
    assert.equal(fs.readFileSync(preview, 'utf8'), '# Reviewed by a person\n');

    // generate --force asks again and replaces it, keeping the edit aside.
    const forcedNotes: string[] = [];
    await generateProject({ project, settings, force: true, onEvent: (event) => event.type === 'note' && forcedNotes.push(event.message) });
    assert.equal(fs.readFileSync(preview, 'utf8'), "The AI's text, take 2.\n");
    const kept = path.join(dir, '.clockwork/generated/replaced/FileResource/notes.md');
    assert.equal(fs.readFileSync(kept, 'utf8'), '# Reviewed by a person\n');
    assert.match(forcedNotes.join('\n'), /held your edit of an earlier generation; it is kept in .*replaced\/FileResource\/notes\.md/);
  });

  it('a changed description generates afresh (the old edit is kept aside), and changing it back does not bring it back as an edit', async () => {
    const dir = makeProject({});
    const settings = aiSettings(dir, server.url, KEY);
    const before = projectOf(dir, [aiFile('a.txt', 'First version')]);
    const preview = (await generateProject({ project: before, settings })).outcomes[0]?.preview as string;
    fs.writeFileSync(preview, 'edited first\n');
    const after = projectOf(dir, [aiFile('a.txt', 'Second version')]);
    const second = await generateProject({ project: after, settings });
    assert.equal(second.outcomes[0]?.status, 'generated');
    assert.equal(fs.readFileSync(preview, 'utf8'), "The AI's text, take 2.\n");
    assert.equal(fs.readFileSync(path.join(dir, '.clockwork/generated/replaced/FileResource/a.txt'), 'utf8'), 'edited first\n');
    // Back to the first description: its cached text, not the second generation's preview taken as an "edit".
    const back = await generateProject({ project: before, settings });
    assert.equal(back.outcomes[0]?.status, 'cached');
    assert.equal(back.outcomes[0]?.edited, false);
    assert.equal(back.outcomes[0]?.values?.['content'], "The AI's text, take 1.\n");
  });

  it('an edited JSON preview of a Docker service is used when it fits the schema, and is a clear error when it does not', async () => {
    const dir = makeProject({});
    const settings = aiSettings(dir, server.url, KEY);
    server.script(() => ({ content: JSON.stringify({ image: 'redis:7.2-alpine', ports: [], envVars: {} }) }));
    const project = projectOf(dir, [aiService('cache', 'A Redis cache')]);
    const preview = (await generateProject({ project, settings })).outcomes[0]?.preview as string;
    assert.equal(preview, path.join(dir, '.clockwork/generated/DockerServiceResource/cache.json'));
    fs.writeFileSync(preview, JSON.stringify({ image: 'redis:7.4-alpine', ports: ['127.0.0.1:6380:6379'], envVars: {} }));
    const edited = await generateProject({ project, settings });
    assert.deepEqual(edited.completedResources()[0]?.spec['image'], 'redis:7.4-alpine');
    fs.writeFileSync(preview, '{ "image": "has spaces" }');
    const bad = await generateProject({ project, settings });
    assert.equal(bad.outcomes[0]?.status, 'failed');
    assert.match(bad.outcomes[0]?.error ?? '', /^DockerServiceResource "cache": your edit of .*cache\.json does not fit: image: /);
    assert.throws(() => bad.completedResources(), /nothing was deployed/);
  });
});
