/**
 * The AI and the kinds of issue 15, against a real HTTP server on 127.0.0.1 through the real
 * openai SDK: a template written from the description (using only the declared variables,
 * and checked before use, since PyInfra renders it unsandboxed on this machine), and a Git
 * repository chosen from the description.
 */
import assert from 'node:assert/strict';
import { generateProject } from '../../server/src/pipeline/ai/generate.js';
import { templateProblem } from '../../server/src/model/jinja.js';
import { aiSettings, projectOf } from '../support/aiProject.js';
import { FakeOpenAI, type ReceivedRequest } from '../support/fakeOpenAI.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const KEY = 'sk-test-0123456789abcdef';

const lastUserMessage = (request: ReceivedRequest | undefined): string =>
  request?.body.messages?.filter((message) => message.role === 'user').at(-1)?.content ?? '';

const template = (extra: Record<string, unknown> = {}) => ({
  kind: 'TemplateFileResource',
  spec: { name: 'site.conf', description: 'A BusyBox httpd configuration serving the site', variables: { root: '/srv/site', port: 8080 }, ...extra },
});

describe('AI generation of the new kinds (loopback endpoint, real openai SDK)', () => {
  let server: FakeOpenAI;
  before(async () => {
    server = await FakeOpenAI.start(KEY);
  });
  after(async () => {
    await server.close();
    removeProjects();
  });

  it('writes a template from the description with the declared variables, and uses it', async () => {
    const written = 'H:{{ root }}\n# port {{ port }}\n{% for ext in ["html", "css"] %}.{{ ext }}:text/{{ ext }}\n{% endfor %}';
    server.script(() => ({ content: `\`\`\`jinja\n${written}\n\`\`\`` }));
    const dir = makeProject({});
    const result = await generateProject({ project: projectOf(dir, [template()]), settings: aiSettings(dir, server.url, KEY) });
    assert.equal(server.requests.length, 1);
    const prompt = lastUserMessage(server.requests[0]);
    assert.match(prompt, /Write the template of the file "site\.conf"/);
    assert.match(prompt, /Variables: root \(e\.g\. "\/srv\/site"\), port \(e\.g\. 8080\)/);
    assert.match(prompt, /BusyBox httpd configuration/);
    assert.equal(result.completedResources()[0]?.spec['template'], `${written}\n`, 'the code fence is stripped');
  });

  it('sends a template that reaches beyond plain Jinja back once, then refuses it', async () => {
    const unsafe = '{{ host.run_shell_command("id") }}';
    server.script(() => ({ content: unsafe }));
    const dir = makeProject({});
    const result = await generateProject({ project: projectOf(dir, [template()]), settings: aiSettings(dir, server.url, KEY) });
    assert.equal(server.requests.length, 2);
    assert.match(lastUserMessage(server.requests[1]), /That is not valid Jinja2 \(plain Jinja on the given variables only\): the name host is not one of the template's variables \(root, port\)/);
    const [outcome] = result.outcomes;
    assert.equal(outcome?.status, 'failed');
    assert.match(outcome?.error ?? '', /TemplateFileResource "site\.conf": .*even after being asked to correct it: the name host is not one of the template's variables/);
    assert.throws(() => result.completedResources(), /nothing was deployed/);
  });

  it('keeps a corrected template', async () => {
    server.script((_request, index) => ({ content: index === 0 ? "{{ port.__class__ }}" : 'listen {{ port }}' }));
    const dir = makeProject({});
    const result = await generateProject({ project: projectOf(dir, [template()]), settings: aiSettings(dir, server.url, KEY) });
    assert.equal(server.requests.length, 2);
    assert.match(lastUserMessage(server.requests[1]), /the name __class__ is not allowed/);
    assert.equal(result.completedResources()[0]?.spec['template'], 'listen {{ port }}');
  });

  it('chooses a repository URL from the description (structured output), and the user’s wins', async () => {
    server.script(() => ({ content: JSON.stringify({ repoUrl: 'https://github.com/octocat/Spoon-Knife.git' }) }));
    const dir = makeProject({});
    const declared = { kind: 'GitRepoResource', spec: { name: 'site', description: 'the Spoon-Knife demo site by octocat', dest: '/srv/site' } };
    const result = await generateProject({ project: projectOf(dir, [declared]), settings: aiSettings(dir, server.url, KEY) });
    const format = server.requests[0]?.body.response_format;
    assert.equal(format?.json_schema?.name, 'git_repository');
    assert.deepEqual(Object.keys((format?.json_schema?.schema as { properties: object }).properties), ['repoUrl']);
    assert.match(lastUserMessage(server.requests[0]), /the Spoon-Knife demo site by octocat/);
    assert.equal(result.completedResources()[0]?.spec['repoUrl'], 'https://github.com/octocat/Spoon-Knife.git');

    server.script(() => ({ content: JSON.stringify({ repoUrl: 'not a url' }) }));
    const bad = await generateProject({ project: projectOf(dir, [{ ...declared, spec: { ...declared.spec, name: 'other' } }]), settings: aiSettings(dir, server.url, KEY) });
    assert.equal(bad.outcomes[0]?.status, 'failed');
    assert.match(bad.outcomes[0]?.error ?? '', /expected a Git URL/);
  });

  it('allows plain Jinja in AI templates and nothing that reaches Python', () => {
    const variables = ['port', 'hosts', 'name'];
    for (const fine of [
      'listen {{ port }};\n{% for h in hosts %}server {{ h.name | upper }} {{ loop.index }};{% endfor %}{# note #}',
      '{{ name | default("x") | truncate(20, end="…") }}{% if port > 80 and not name %}x{% elif port %}y{% else %}z{% endif %}',
      '{{ hosts.items() }}{% set next = port + 1 %}{{ next }}{{ [1, 2] | join(",") }}',
    ]) {
      assert.equal(templateProblem(fine, variables), undefined, fine);
    }
    for (const [unsafe, why] of [
      ['{{ host.name }}', /the name host is not one of the template's variables/],
      ['{{ port.__class__ }}', /the name __class__ is not allowed/],
      ["{{ port['__class__'] }}", /subscripts such as x\[\.\.\.\] are not allowed/],
      ['{{ "{0}".format(port) }}', /the method \.format\(\) is not allowed/],
      ['{% include "/etc/passwd" %}', /the statement \{% include %\} is not allowed/],
      ['{{ hosts | map(attribute="x") }}', /the filter or test map is not allowed/],
      ['{{ hosts | sort(attribute="__class__") }}', /the attribute= argument is not allowed/],
      ['{{ (port)() }}', /calling a value is not allowed/],
      ['{{ 9 ** 9 ** 9 }}', /the power operator is not allowed/],
      ['{{ lipsum() }}', /calling lipsum\(\) is not allowed/],
    ] as const) {
      assert.match(templateProblem(unsafe, variables) ?? '', why, unsafe);
    }
  });
});
