/**
 * `.clockwork/results.json`: written by every assert run (CLI and editor alike), trimmed by
 * destroy, and joined to the static parse by name or, for a resource built in a loop, by
 * where it is written, so CodeLens summarises it too.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeLenses } from '../../server/src/language/codeLens.js';
import { parseText } from '../../server/src/language/parse.js';
import { forgetResults, readRecordedResults, recordResults } from '../../server/src/pipeline/assert/resultsFile.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import type { AssertionResult } from '../../server/src/pipeline/assert/types.js';
import type { LoadedProject } from '../../server/src/pipeline/loader/load.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

function result(resource: string, index: number, status: AssertionResult['status'], host = '@local'): AssertionResult {
  return {
    resource,
    kind: 'FileResource',
    assertion: { kind: 'FileExistsAssert', index, label: '' },
    host,
    status,
    message: status === 'passed' ? '' : 'no such file',
    expected: 'the file exists',
    actual: status === 'passed' ? 'exists' : 'missing',
    durationMs: 3,
    isDefault: false,
  };
}

/** A project as the loader returns it, without loading (the writer reads only names and locations). */
function project(dir: string, names: string[]): LoadedProject {
  return { projectDir: dir, file: path.join(dir, 'clockwork.ts'), resources: names.map((name) => ({ name, location: undefined })) } as unknown as LoadedProject;
}

const LOOP = `import { FileResource, FileExistsAssert, FileContentMatchesAssert } from 'clockwork';

const files = Array.from({ length: 3 }, (_, i) =>
  new FileResource({
    name: \`f\${i}.txt\`,
    directory: 'loop',
    content: \`file \${i}\\n\`,
    assertions: [
      new FileExistsAssert({ path: \`loop/f\${i}.txt\`, timeoutSeconds: 0.2 }),
      new FileContentMatchesAssert({ path: \`loop/f\${i}.txt\`, pattern: 'file', timeoutSeconds: 0.2 }),
    ],
  }),
);

export default [
  ...files,
  new FileResource({ name: 'plain.txt', content: 'x', assertions: [new FileExistsAssert({ path: 'plain.txt' })] }),
];
`;

describe('the results file', () => {
  after(removeProjects);

  it('records results per resource, keeping assertions and resources that were not checked', () => {
    const dir = makeProject({});
    const stateDir = path.join(dir, '.clockwork');
    recordResults(stateDir, project(dir, ['a', 'b']), [result('a', 0, 'passed'), result('a', 1, 'failed'), result('b', 0, 'passed')]);
    recordResults(stateDir, project(dir, ['a', 'b']), [result('a', 1, 'passed')]);
    const resources = readRecordedResults(stateDir).files['clockwork.ts']?.resources ?? [];
    const a = resources.find((record) => record.name === 'a');
    assert.deepEqual(a?.assertions.map((record) => [record.index, record.status]), [[0, 'passed'], [1, 'passed']]);
    assert.ok(resources.some((record) => record.name === 'b'), 'b is kept');
  });

  it('records the worst status over hosts, "error" as "errored"', () => {
    const dir = makeProject({});
    const stateDir = path.join(dir, '.clockwork');
    recordResults(stateDir, project(dir, ['a']), [result('a', 0, 'passed', 'web1'), result('a', 0, 'error', 'web2')]);
    const record = readRecordedResults(stateDir).files['clockwork.ts']?.resources[0]?.assertions[0];
    assert.equal(record?.status, 'errored');
    assert.equal(record?.message, 'no such file');
  });

  it('forgets destroyed resources, and goes away when nothing is left', () => {
    const dir = makeProject({});
    const stateDir = path.join(dir, '.clockwork');
    recordResults(stateDir, project(dir, ['a', 'b']), [result('a', 0, 'passed'), result('b', 0, 'failed')]);
    forgetResults(stateDir, [{ kind: 'FileResource', name: 'a' }]);
    assert.deepEqual(readRecordedResults(stateDir).files['clockwork.ts']?.resources.map((record) => record.name), ['b']);
    forgetResults(stateDir, [{ kind: 'FileResource', name: 'b' }]);
    assert.ok(!fs.existsSync(path.join(stateDir, 'results.json')));
  });

  it('an assert run records a loop-made resource where it is written, and CodeLens sums its instances up', async function () {
    this.timeout(60_000);
    const dir = makeProject({ 'clockwork.ts': LOOP, 'loop/f0.txt': 'file 0\n', 'loop/f1.txt': 'nothing here\n', 'plain.txt': 'x' });
    const settings = resolveSettings({ projectDir: dir, environment: { PATH: process.env['PATH'] ?? '' } });
    const run = await runAssertions({ settings, runner: 'sh' });
    assert.equal(run.counts.total, 7);
    const recorded = readRecordedResults(settings.stateDir).files['clockwork.ts']?.resources ?? [];
    const loopMade = recorded.filter((record) => record.name.startsWith('f'));
    assert.deepEqual(loopMade.map((record) => record.name).sort(), ['f0.txt', 'f1.txt', 'f2.txt']);
    // Every instance is recorded where its `new FileResource` is written (0-based line 3, character 2).
    assert.deepEqual(new Set(loopMade.map((record) => JSON.stringify(record.location))), new Set([JSON.stringify({ line: 3, character: 2 })]));

    const doc = parseText(`file://${dir}/clockwork.ts`, LOOP);
    const summaries = codeLenses(doc, readRecordedResults(settings.stateDir).files['clockwork.ts'])
      .filter((lens) => !['Apply', 'Assert', 'Destroy'].includes(lens.command?.title ?? ''))
      .map((lens) => [lens.range.start.line, lens.command?.title]);
    // f1.txt fails its pattern, f2.txt does not exist (both of its assertions fail).
    assert.deepEqual(summaries, [
      [3, '✗ 3 failed (3 resources)'],
      [16, '✓ 1/1 assertion'],
    ]);
  });
});
