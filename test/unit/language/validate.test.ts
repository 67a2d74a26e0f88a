import * as assert from 'node:assert/strict';
import { ClockworkDocuments } from '../../../server/src/language/documents.js';
import { validate, ValidationCache } from '../../../server/src/language/validate.js';
import { covered, fixture, parse, where } from './helpers.js';

function diagnosticsOf(text: string): { where: string; text: string; code: string; message: string }[] {
  const doc = parse(text);
  return validate(doc).map((diagnostic) => ({
    where: where(diagnostic.range),
    text: covered(doc, diagnostic.range),
    code: String(diagnostic.code),
    message: String(diagnostic.message),
  }));
}

describe('language: diagnostics', () => {
  const broken = diagnosticsOf(fixture('broken.clockwork.ts.txt'));
  const find = (code: string, text?: string) => broken.filter((item) => item.code === code && (text === undefined || item.text === text));

  it('reports a schema violation at the offending value, naming the field and what was expected', () => {
    assert.deepEqual(find('schema', '"rw-r--r--"'), [
      { where: '9:10-9:21', text: '"rw-r--r--"', code: 'schema', message: 'mode: expected an octal mode like "644", got "rw-r--r--"' },
    ]);
    assert.deepEqual(find('schema', '"localhost"'), [
      { where: '22:46-22:57', text: '"localhost"', code: 'schema', message: 'url: expected an http:// or https:// URL, got "localhost"' },
    ]);
  });

  it('reports path together with directory', () => {
    assert.deepEqual(find('schema', '"docs/notes.md"').map((item) => [item.where, item.message]), [
      ['10:10-10:25', 'path: give either path or directory, not both (path is the whole file path)'],
    ]);
  });

  it('reports an unknown property on its name, with "did you mean"', () => {
    assert.deepEqual(find('unknown-property'), [
      { where: '8:4-8:8', text: 'nmae', code: 'unknown-property', message: 'unknown property "nmae" of FileResource; did you mean "name"?' },
    ]);
  });

  it('reports a missing required property on the object', () => {
    assert.deepEqual(find('missing-property'), [
      {
        where: '25:28-25:48',
        text: '{ image: "redis:7" }',
        code: 'missing-property',
        message: 'name: is required (expected a string)',
      },
    ]);
  });

  it('marks both resources with a duplicate name', () => {
    assert.deepEqual(find('duplicate-name').map((item) => [item.where, item.message]), [
      ['7:10-7:20', 'duplicate resource name "notes.md": also used by FileResource "notes.md" on line 17'],
      ['17:19-17:29', 'duplicate resource name "notes.md": also used by FileResource "notes.md" on line 6'],
    ]);
  });

  it('marks two services publishing the same host port', () => {
    assert.deepEqual(find('port-clash').map((item) => [item.where, item.text, item.message]), [
      ['21:12-21:31', '"127.0.0.1:8080:80"', 'host port 8080 is also published by DockerServiceResource "api" on line 24'],
      ['24:71-24:82', '"8080:3000"', 'host port 8080 is also published by DockerServiceResource "web" on line 18'],
    ]);
  });

  it('reports an assertion that does not apply to its resource', () => {
    assert.deepEqual(find('not-applicable').map((item) => [item.where, item.text, item.message]), [
      [
        '13:10-13:32',
        'ContainerRunningAssert',
        'ContainerRunningAssert on a FileResource needs containerName (it applies by itself only to DockerServiceResource)',
      ],
    ]);
  });

  it('reports a class used without importing it', () => {
    assert.deepEqual(find('missing-import').map((item) => [item.where, item.message]), [
      ['14:10-14:26', 'FileExistsAssert is not imported from "clockwork"'],
    ]);
  });

  it('reports nothing about non-literal values, spreads or what they might supply', () => {
    // image: someImage() and the `...shared` resource without directory are fine; the fixture has
    // exactly the problems asserted above.
    assert.equal(broken.length, 11);
    assert.equal(broken.filter((item) => item.where.startsWith('17:') && item.code !== 'duplicate-name').length, 0);
  });

  it('reports a regular expression that does not compile', () => {
    const text = `import { DockerServiceResource, LogContainsAssert } from "clockwork";
export default [new DockerServiceResource({ name: "web", image: "nginx", assertions: [new LogContainsAssert({ pattern: "ready (" })] })];
`;
    const [diagnostic, ...rest] = diagnosticsOf(text);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic?.text, '"ready ("');
    assert.match(diagnostic?.message ?? '', /^pattern: expected a regular expression, got "ready \(" \(/);
  });

  it('follows renamed imports, variables and assertions attached through a variable', () => {
    const text = `import { FileResource as F, ContainerRunningAssert as Running } from 'clockwork';
const running = new Running({});
const notes = new F({ name: 'notes.md', size: 'huge', assertions: [running] });
export default [notes];
`;
    const found = diagnosticsOf(text).map((item) => [item.code, item.text, item.message]);
    assert.deepEqual(found, [
      ['schema', "'huge'", `size: expected one of "small", "medium", "large", got "huge"`],
      ['not-applicable', 'Running', 'ContainerRunningAssert on a FileResource needs containerName (it applies by itself only to DockerServiceResource)'],
    ]);
  });

  it('skips template strings with substitutions and shorthand properties, but checks plain templates', () => {
    const text = `import { FileResource } from "clockwork";
const dir = "docs";
const name = "x.md";
export default [
  new FileResource({ name, directory: \`\${dir}/sub\`, mode: \`999\` }),
];
`;
    assert.deepEqual(diagnosticsOf(text).map((item) => [item.text, item.message]), [
      ['`999`', 'mode: expected an octal mode like "644", got "999"'],
    ]);
  });

  it('keeps checking what it can read in a file with syntax errors', () => {
    const text = `import { FileResource } from "clockwork";
export default [
  new FileResource({ name: "a.md", mode: "abc" }),
  new FileResource({ name: "b.md", size: }),
`;
    const doc = parse(text);
    assert.equal(doc.hasSyntaxErrors, true);
    assert.deepEqual(diagnosticsOf(text).map((item) => item.message), ['mode: expected an octal mode like "644", got "abc"']);
  });

  it('gives the same diagnostics with the per-declaration cache across incremental edits', () => {
    const text = fixture('broken.clockwork.ts.txt');
    const documents = new ClockworkDocuments();
    const uri = 'file:///project/clockwork.ts';
    documents.open(uri, 1, text);
    assert.deepEqual(documents.diagnostics(uri), validate(parse(text)));
    // Insert a line at the top: every range moves; then break the "web" service's image.
    documents.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// header\n' }]);
    const line = text.split('\n').findIndex((value) => value.includes('image: "nginx:1.27"')) + 1;
    documents.change(uri, 3, [{ range: { start: { line, character: 12 }, end: { line, character: 13 } }, text: ' ' }]);
    const edited = `// header\n${text}`.split('\n');
    edited[line] = `${edited[line]?.slice(0, 12)} ${edited[line]?.slice(13)}`;
    const expected = validate(parse(edited.join('\n')));
    assert.deepEqual(documents.diagnostics(uri), expected);
    assert.ok(expected.some((diagnostic) => String(diagnostic.message).startsWith('image: expected an image reference')));
    const cache = new ValidationCache();
    assert.deepEqual(validate(parse(edited.join('\n')), cache), validate(parse(edited.join('\n')), cache));
  });

  it('beside a TypeScript server that sees the declarations, leaves to it what its types report, and keeps the rest', () => {
    const text = fixture('broken.clockwork.ts.txt').replace('size: "small"', 'size: "tiny"') + 'export const extra = [new FileResource({ name: "x.md", size: 3, mode: "9999" })];\n';
    const doc = parse(text);
    const codes = (options: { typescript: boolean }): string[] =>
      validate(doc, undefined, options).map((diagnostic) => `${diagnostic.code} ${covered(doc, diagnostic.range).slice(0, 30)}`);
    const alone = codes({ typescript: false });
    const beside = codes({ typescript: true });
    // What TypeScript reports from types/clockwork.d.ts: the typo (ts 2561), the missing import
    // (2304), the missing required name (2345), a number where a string enum belongs (2322).
    const typed = ['unknown-property nmae', 'missing-import FileExistsAssert', 'missing-property { image: "redis:7" }', 'schema 3', 'missing-import FileResource'];
    for (const item of typed) {
      assert.ok(alone.includes(item), `${item} in ${alone.join(' | ')}`);
      assert.ok(!beside.includes(item), `${item} still reported beside TypeScript`);
    }
    // What types cannot say stays: formats, path with directory, applicability, duplicates, port clashes.
    assert.deepEqual(beside, alone.filter((item) => !typed.includes(item)));
    for (const kept of ['schema "rw-r--r--"', 'schema "localhost"', 'schema "9999"', 'duplicate-name "notes.md"', 'port-clash "8080:3000"']) {
      assert.ok(beside.includes(kept), `${kept} missing from ${beside.join(' | ')}`);
    }
  });
});
