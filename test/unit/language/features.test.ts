import * as assert from 'node:assert/strict';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { codeActions, withCurrentFixData } from '../../../server/src/language/codeActions.js';
import { codeLenses } from '../../../server/src/language/codeLens.js';
import { hover } from '../../../server/src/language/hover.js';
import { documentModel } from '../../../server/src/language/model.js';
import { symbols } from '../../../server/src/language/symbols.js';
import { conceptInfo } from '../../../server/src/language/schemaInfo.js';
import { validate } from '../../../server/src/language/validate.js';
import { resourceDefinition } from '../../../server/src/model/registry.js';
import { applyEdits, fixture, parse, positionAfter, where } from './helpers.js';

const example = `import { DockerServiceResource, FileResource as File, HealthcheckAssert, PortAccessibleAssert } from "clockwork";

const check = new PortAccessibleAssert({ port: 8080 });

export default [
  new DockerServiceResource({
    name: "web",
    image: "nginx:1.27-alpine",
    ports: ["127.0.0.1:8080:80"],
    assertions: [new HealthcheckAssert({ url: "http://localhost:8080" }), check],
  }),
  new File({ name: "notes.md", size: "small" }),
];
`;

function hoverText(text: string, position: ReturnType<typeof positionAfter>): string {
  const result = hover(parse(text), position);
  return result ? (result.contents as { value: string }).value : '';
}

function editsOf(action: CodeAction | undefined): TextEdit[] {
  return Object.values(action?.edit?.changes ?? {})[0] ?? [];
}

describe('language: hover, symbols, CodeLens, quick fixes', () => {
  describe('hover', () => {
    it('on a class name shows its summary, every field with its type and default, and an example', () => {
      const value = hoverText(example, positionAfter(example, 'new HealthcheckAssert', 6));
      assert.match(value, /^\*\*HealthcheckAssert\*\*/);
      assert.match(value, /Passes when an HTTP GET of the URL answers the expected status code\./);
      assert.match(value, /Fields:\n- `url`: `string` — required\n- `expectedStatus\?`: `number` — default `200`\n- `description\?`: `string`\n- `timeoutSeconds\?`: `number` — default `5`/);
      assert.match(value, /new HealthcheckAssert\(\{ url: "http:\/\/localhost:8080\/health", expectedStatus: 200 \}\)/);
      // A resource lists every field of its schema, and its assertions.
      const file = hoverText(example, positionAfter(example, 'new File(', 5));
      for (const field of conceptInfo(resourceDefinition('FileResource')!).fields) {
        assert.ok(file.includes(`- \`${field.name}${field.required ? '' : '?'}\`: \`${field.typeText}\``), `${field.name} missing from ${file}`);
      }
      assert.match(file, /- `mode\?`: `string` — default `"644"`/);
      assert.match(file, /- `assertions\?`: `assertion\[\]`/);
    });

    it('beside a TypeScript server that sees the declarations, shows only what it does not: the fields, and a field\'s example', () => {
      const withTs = (position: ReturnType<typeof positionAfter>): string => {
        const result = hover(parse(example), position, { snippetSupport: true, typescript: true });
        return result ? (result.contents as { value: string }).value : '';
      };
      const value = withTs(positionAfter(example, 'new HealthcheckAssert', 6));
      assert.match(value, /^\*\*HealthcheckAssert\*\*\n\nFields:\n- `url`: `string` — required/);
      assert.doesNotMatch(value, /Passes when|Example/);
      assert.equal(withTs(positionAfter(example, 'image', 2)), 'Example: `image: "nginx:1.27-alpine"`');
    });

    it('on an aliased class name shows the real class', () => {
      assert.match(hoverText(example, positionAfter(example, 'new File(', 5)), /^\*\*FileResource\*\*/);
    });

    it('on a property name shows description, type, default and example', () => {
      const value = hoverText(example, positionAfter(example, 'size: "small"', 1));
      assert.equal(
        value,
        [
          '**size**?: `"small" | "medium" | "large"` — FileResource',
          '',
          'How much the AI should write: small ≈ 100–500 words, medium ≈ 500–2,000, large 2,000+.',
          '',
          'Default: `"small"`',
          'Example: `size: "small"`',
        ].join('\n'),
      );
      assert.match(hoverText(example, positionAfter(example, 'ports:', 2)), /\*\*ports\*\*\?: `string\[\]`/);
    });

    it('is empty elsewhere', () => {
      assert.equal(hover(parse(example), positionAfter(example, '"nginx', 2)), null);
    });
  });

  it('symbols: each resource with its assertions as children', () => {
    const outline = symbols(parse(example)).map((symbol) => ({
      name: symbol.name,
      detail: symbol.detail,
      at: where(symbol.range),
      children: symbol.children?.map((child) => `${child.name} ${child.detail ?? ''} ${where(child.range)}`),
    }));
    assert.deepEqual(outline, [
      {
        name: 'web',
        detail: 'DockerServiceResource',
        at: '6:2-11:4',
        children: ['HealthcheckAssert http://localhost:8080 → 200 10:17-10:72', 'PortAccessibleAssert port 8080 3:14-3:54'],
      },
      { name: 'notes.md', detail: 'FileResource', at: '12:2-12:47', children: [] },
    ]);
  });

  it('documentModel: resources and assertions with ranges and array indexes', () => {
    const model = documentModel(parse(example), 7);
    assert.equal(model.version, 7);
    assert.deepEqual(
      model.resources.map((resource) => [resource.name, resource.kind, resource.assertions.map((a) => `${a.index}:${a.kind}:${a.label}`)]),
      [
        ['web', 'DockerServiceResource', ['0:HealthcheckAssert:http://localhost:8080 → 200', '1:PortAccessibleAssert:port 8080']],
        ['notes.md', 'FileResource', []],
      ],
    );
  });

  describe('CodeLens', () => {
    it('shows Apply / Assert / Destroy above every resource, with the file and resource name', () => {
      const lenses = codeLenses(parse(example));
      assert.equal(lenses.length, 6);
      assert.deepEqual(
        lenses.slice(0, 3).map((lens) => [where(lens.range), lens.command?.title, lens.command?.command, lens.command?.arguments]),
        ['Apply', 'Assert', 'Destroy'].map((title) => [
          '6:2-6:2',
          title,
          `clockwork.${title.toLowerCase()}`,
          [{ uri: 'file:///project/clockwork.ts', resource: 'web' }],
        ]),
      );
    });

    it('adds the last recorded result', () => {
      const assertions = (statuses: string[]) =>
        statuses.map((status, index) => ({ kind: 'X', index, status: status as 'passed' | 'failed' }));
      const lenses = codeLenses(parse(example), {
        resources: [
          { name: 'web', kind: 'DockerServiceResource', checkedAt: '2026-01-01T00:00:00Z', assertions: assertions(['passed', 'passed', 'passed']) },
          { name: 'notes.md', kind: 'FileResource', checkedAt: '2026-01-01T00:00:00Z', assertions: assertions(['passed', 'failed']) },
        ],
      });
      assert.deepEqual(
        lenses.filter((lens) => !['Apply', 'Assert', 'Destroy'].includes(lens.command?.title ?? '')).map((lens) => [where(lens.range), lens.command?.title]),
        [
          ['6:2-6:2', '✓ 3/3 assertions'],
          ['12:2-12:2', '✗ 1 failed'],
        ],
      );
    });
  });

  describe('quick fixes', () => {
    const text = fixture('broken.clockwork.ts.txt');
    const doc = parse(text);
    const diagnostics = validate(doc);
    const fixFor = (code: string, contains: string): CodeAction | undefined => {
      const diagnostic = diagnostics.find((item) => item.code === code && String(item.message).includes(contains));
      assert.ok(diagnostic, `no ${code} diagnostic`);
      const actions = codeActions(doc, [diagnostic]);
      assert.equal(actions.length, 1);
      return actions[0];
    };

    it('renames an unknown property to the suggestion', () => {
      const action = fixFor('unknown-property', 'nmae');
      assert.equal(action?.title, 'Change to "name"');
      assert.match(applyEdits(text, editsOf(action)), /\n {4}name: "typo",\n/);
    });

    it('normalises a symbolic mode to octal', () => {
      const action = fixFor('schema', 'rw-r--r--');
      assert.equal(action?.title, 'Change to "644"');
      const fixed = applyEdits(text, editsOf(action));
      assert.match(fixed, /mode: "644",/);
      assert.ok(!validate(parse(fixed)).some((item) => String(item.message).startsWith('mode:')));
    });

    it('adds a missing required property', () => {
      const action = fixFor('missing-property', 'name: is required');
      const fixed = applyEdits(text, editsOf(action));
      assert.match(fixed, /new DockerServiceResource\(\{ name: "web", image: "redis:7" \}\)/);
      assert.ok(!validate(parse(fixed)).some((item) => item.code === 'missing-property'));
    });

    it('adds the missing import', () => {
      const action = fixFor('missing-import', 'FileExistsAssert');
      const fixed = applyEdits(text, editsOf(action));
      assert.match(fixed, /^import \{ FileResource as File, DockerServiceResource, HealthcheckAssert, ContainerRunningAssert, FileExistsAssert \} from "clockwork";/);
      assert.ok(!validate(parse(fixed)).some((item) => item.code === 'missing-import'));
    });

    it('places the edit from the server\'s own text, not from the range the client echoes (byte columns from Neovim 0.7)', () => {
      const source = 'import { FileResource } from "clockwork";\n\nexport default [\n  new FileResource({ name: "n.txt", description: "🕰 café", mode: "rw-r--r--" }),\n];\n';
      const unicode = parse(source);
      const modeDiagnostic = validate(unicode).find((item) => String(item.message).startsWith('mode:'));
      assert.ok(modeDiagnostic);
      // What Neovim 0.7 echoes: UTF-8 byte columns, 5 bytes further right on this line.
      const line = source.split('\n')[3]!;
      const byteColumn = (character: number): number => Buffer.byteLength(line.slice(0, character));
      const echoed = {
        ...modeDiagnostic,
        range: {
          start: { ...modeDiagnostic.range.start, character: byteColumn(modeDiagnostic.range.start.character) },
          end: { ...modeDiagnostic.range.end, character: byteColumn(modeDiagnostic.range.end.character) },
        },
      };
      const [action] = codeActions(unicode, [echoed]);
      assert.equal(action?.title, 'Change to "644"');
      assert.match(applyEdits(source, editsOf(action)), /description: "🕰 café", mode: "644" \}/);
    });

    it('offers no fix when the text at the diagnostic has changed since it was published', () => {
      const diagnostic = diagnostics.find((item) => item.code === 'unknown-property');
      assert.ok(diagnostic);
      const edited = parse(text.replace('nmae', 'nmea'));
      assert.deepEqual(codeActions(edited, [diagnostic]), []);
    });

    it('brings diagnostics published for an earlier version up to date before fixing them', () => {
      const diagnostic = diagnostics.find((item) => item.code === 'unknown-property');
      assert.ok(diagnostic);
      // The user typed a line above the typo, then asked for the fix before new diagnostics arrived.
      const edited = text.replace('export default [', '// a new comment line\nexport default [');
      const current = validate(parse(edited));
      const refreshed = withCurrentFixData([diagnostic], () => current, edited);
      const [action] = codeActions(parse(edited), refreshed);
      assert.equal(action?.title, 'Change to "name"');
      assert.match(applyEdits(edited, editsOf(action)), /\n {4}name: "typo",\n/);
    });

    it('offers nothing for diagnostics of other sources', () => {
      const foreign = { ...diagnostics[0]!, source: 'ts' };
      assert.deepEqual(codeActions(doc, [foreign]), []);
    });
  });
});
