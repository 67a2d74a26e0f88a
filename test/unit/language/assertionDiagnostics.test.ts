import * as assert from 'node:assert/strict';
import { assertionDiagnostics, type AssertionFailure } from '../../../server/src/language/assertionDiagnostics.js';
import { covered, parse, where } from './helpers.js';

const text = `import { FileContentMatchesAssert, FileExistsAssert, FileResource } from "clockwork";

const exists = new FileExistsAssert({ path: "scratch/a.txt" });

export default [
  new FileResource({
    name: "a.txt",
    directory: "scratch",
    content: "hello",
    assertions: [exists, new FileContentMatchesAssert({ path: "scratch/a.txt", pattern: "bye" })],
  }),
  new FileResource({ name: "b.txt", directory: "scratch", content: "b" }),
];
`;

const failure = (extra: Partial<AssertionFailure>): AssertionFailure => ({
  resource: 'a.txt',
  kind: 'FileContentMatchesAssert',
  index: 1,
  isDefault: false,
  host: '@local',
  status: 'failed',
  message: 'the pattern does not match',
  expected: 'matches /bye/',
  actual: 'no match',
  ...extra,
});

describe('language: failed assertions as diagnostics', () => {
  it('puts each failure on its assertion (inline or through a variable), or on the resource for its default checks', () => {
    const doc = parse(text);
    const diagnostics = assertionDiagnostics(doc, [
      failure({}),
      failure({ kind: 'FileExistsAssert', index: 0, status: 'error', message: 'sh: not found', expected: '', actual: '' }),
      failure({ resource: 'b.txt', kind: 'FileExistsAssert', index: 0, isDefault: true }),
      failure({ resource: 'gone.txt', line: 40 }),
    ]);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [where(diagnostic.range), covered(doc, diagnostic.range).slice(0, 30), diagnostic.severity, diagnostic.message]),
      [
        ['10:25-10:96', 'new FileContentMatchesAssert({', 1, 'FileContentMatchesAssert failed on @local: the pattern does not match\nexpected: matches /bye/\nactual: no match'],
        ['3:15-3:62', 'new FileExistsAssert({ path: "', 2, 'FileExistsAssert could not run on @local: sh: not found'],
        ['12:6-12:18', 'FileResource', 1, 'FileExistsAssert failed on @local: the pattern does not match\nexpected: matches /bye/\nactual: no match'],
        ['41:0-41:0', '', 1, 'FileContentMatchesAssert failed on @local: the pattern does not match\nexpected: matches /bye/\nactual: no match'],
      ],
    );
  });

  it('follows edits: the same results land on the moved declaration', () => {
    const edited = parse(text.replace('export default [', '// two\n// new lines\nexport default ['));
    const [moved] = assertionDiagnostics(edited, [failure({})]);
    assert.equal(where(moved!.range), '12:25-12:96');
  });
});
