import * as assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { complete } from '../../../server/src/language/complete.js';
import { assertionDefinitions, resourceDefinitions } from '../../../server/src/model/registry.js';
import { applyEdits, fixture, parse, positionAfter } from './helpers.js';

const text = fixture('complete.clockwork.ts.txt');
const doc = parse(text);

function edit(item: CompletionItem | undefined): TextEdit {
  const textEdit = item?.textEdit;
  assert.ok(textEdit && 'range' in textEdit, `no text edit on ${item?.label}`);
  return textEdit;
}

describe('language: completion', () => {
  describe('inside a resource\'s assertions: [ ]', () => {
    const items = complete(doc, positionAfter(text, 'assertions: [ '));

    it('offers every assertion, those made for the resource kind first', () => {
      assert.equal(items.length, assertionDefinitions.length);
      const native = assertionDefinitions.filter((d) => d.appliesTo.native.includes('DockerServiceResource')).map((d) => d.kind);
      assert.deepEqual(
        items.slice(0, native.length).map((item) => item.label).sort(),
        [...native].sort(),
      );
      const order = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((item) => item.label);
      assert.deepEqual(order, items.map((item) => item.label));
    });

    it('inserts a snippet with required fields as tab stops, using the service\'s own published port', () => {
      const healthcheck = items.find((item) => item.label === 'HealthcheckAssert');
      assert.equal(edit(healthcheck).newText, 'new HealthcheckAssert({ url: "http://localhost:${1:8081}" })');
      assert.equal(edit(items.find((item) => item.label === 'PortAccessibleAssert')).newText, 'new PortAccessibleAssert({ port: ${1:8081} })');
      assert.equal(healthcheck?.insertTextFormat, 2);
      assert.match(String((healthcheck?.documentation as { value: string }).value), /HTTP GET/);
    });

    it('adds the missing class to the existing import from "clockwork"', () => {
      const healthcheck = items.find((item) => item.label === 'HealthcheckAssert');
      const result = applyEdits(text, [edit(healthcheck), ...(healthcheck?.additionalTextEdits ?? [])]);
      assert.match(result, /^import \{ DockerServiceResource, FileResource, HealthcheckAssert \} from "clockwork";/);
      assert.match(result, /assertions: \[ new HealthcheckAssert\(\{ url: "http:\/\/localhost:\$\{1:8081\}" \}\) \]/);
    });

    it('gives a client without snippet support plain text with the same defaults, and the import as an additional edit', () => {
      const plain = complete(doc, positionAfter(text, 'assertions: [ '), { snippetSupport: false, typescript: false });
      assert.equal(plain.length, items.length);
      for (const item of plain) {
        assert.equal(item.insertTextFormat, 1, item.label);
        assert.doesNotMatch(edit(item).newText, /\$\{?\d/, item.label);
      }
      const healthcheck = plain.find((item) => item.label === 'HealthcheckAssert');
      assert.equal(edit(healthcheck).newText, 'new HealthcheckAssert({ url: "http://localhost:8081" })');
      const result = applyEdits(text, [edit(healthcheck), ...(healthcheck?.additionalTextEdits ?? [])]);
      assert.match(result, /^import \{ DockerServiceResource, FileResource, HealthcheckAssert \} from "clockwork";/);
      const fields = complete(doc, positionAfter(text, 'name: "db", '), { snippetSupport: false, typescript: false });
      assert.ok(fields.length > 0);
      assert.ok(fields.every((item) => item.insertTextFormat !== 2 && !/\$\{?\d/.test(edit(item).newText)), JSON.stringify(fields.map((item) => edit(item).newText)));
      assert.ok(fields.some((item) => edit(item).newText === 'assertions: []'));
    });

    it('beside a TypeScript server that offers the class names and fields, offers whole constructions only, labelled as such', () => {
      const beside = { snippetSupport: true, typescript: true };
      const constructions = complete(doc, positionAfter(text, 'assertions: [ '), beside);
      assert.equal(constructions.length, items.length);
      assert.ok(constructions.every((item) => /^new \w+\(…\)$/.test(item.label)), constructions.map((item) => item.label).join(', '));
      assert.equal(edit(constructions.find((item) => item.label === 'new HealthcheckAssert(…)')).newText, 'new HealthcheckAssert({ url: "http://localhost:${1:8081}" })');
      // Field names and enum values: TypeScript completes them from the declarations.
      assert.deepEqual(complete(doc, positionAfter(text, 'name: "db", '), beside), []);
      assert.ok(complete(doc, positionAfter(text, 'name: "db", ')).length > 0);
    });

    it('defaults a file assertion\'s path to the file resource\'s own path', () => {
      const partial = complete(doc, positionAfter(text, 'assertions: [new Fil'));
      const exists = partial.find((item) => item.label === 'FileExistsAssert');
      assert.deepEqual(edit(exists), {
        range: { start: positionAfter(text, '[new Fil', 1), end: positionAfter(text, '[new Fil') },
        newText: 'new FileExistsAssert({ path: "${1:scratch/game_of_life.md}" })',
      });
      assert.equal(exists?.filterText, 'new FileExistsAssert');
      assert.equal(partial[0]?.detail, 'assertion for FileResource');
      // A check that needs a field elsewhere gets it as a tab stop.
      const running = partial.find((item) => item.label === 'ContainerRunningAssert');
      assert.match(edit(running).newText, /^new ContainerRunningAssert\(\{ containerName: "\$\{1[^}]*\}" \}\)$/);
    });

    it('adds an import line when the file has none', () => {
      const bare = 'export default [\n  new FileResource({ name: "a.md", assertions: [] }),\n];\n';
      const item = complete(parse(bare), positionAfter(bare, 'assertions: [')).find((i) => i.label === 'FileSizeAssert');
      const result = applyEdits(bare, item?.additionalTextEdits ?? []);
      assert.ok(result.startsWith('import { FileSizeAssert } from "clockwork";\n\nexport default ['), result);
      assert.equal(edit(item).newText, 'new FileSizeAssert({ path: "${1:a.md}", minBytes: ${2:100} })');
    });
  });

  describe('inside new X({ … })', () => {
    it('offers the properties not yet given, with type and docs', () => {
      const at = positionAfter(text, '{ name: "db", present: ', '{ name: "db", '.length);
      const items = complete(doc, at);
      const labels = items.map((item) => item.label);
      assert.ok(!labels.includes('name') && !labels.includes('start'));
      assert.ok(labels.includes('image') && labels.includes('ports') && labels.includes('assertions'));
      const ports = items.find((item) => item.label === 'ports');
      assert.equal(ports?.detail, 'string[]');
      assert.match(String((ports?.documentation as { value: string }).value), /Published ports/);
    });

    it('offers enum values for size and true/false for booleans', () => {
      const sizes = complete(doc, positionAfter(text, 'size: "', 'size: "'.length));
      assert.deepEqual(sizes.map((item) => item.label), ['small', 'medium', 'large']);
      const flags = complete(doc, positionAfter(text, 'present: ', 'present: '.length));
      assert.deepEqual(flags.map((item) => item.label), ['true', 'false']);
      const typed = complete(doc, positionAfter(text, 'start: t'));
      assert.deepEqual(typed.map((item) => edit(item).newText), ['true', 'false']);
      assert.deepEqual(edit(typed[0]).range, { start: positionAfter(text, 'start: '), end: positionAfter(text, 'start: t') });
    });
  });

  it('offers resource classes at the top level of the exported array', () => {
    const items = complete(doc, positionAfter(text, '}),\n  \n', '}),\n  '.length));
    assert.deepEqual(items.map((item) => item.label), resourceDefinitions.map((d) => d.kind));
    assert.equal(edit(items.find((item) => item.label === 'FileResource')).newText, 'new FileResource({ name: "${1:notes.md}" })');
    // Already imported: no import edit.
    assert.equal(items.find((item) => item.label === 'FileResource')?.additionalTextEdits, undefined);
  });

  it('offers nothing outside Clockwork constructions', () => {
    assert.deepEqual(complete(doc, { line: 1, character: 0 }), []);
  });
});
