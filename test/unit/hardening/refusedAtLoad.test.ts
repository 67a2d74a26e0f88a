/**
 * Issue 11's bad input in the editor: the real language server over stdio puts each case's
 * exact message on the field's value (the CLI and PyInfra side is in the bad-input table).
 */
import * as assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { z } from 'zod';
import { validateSpec } from '../../../server/src/model/define.js';
import { allowingNul, description } from '../../../server/src/model/fields.js';
import { assertionDefinitions, resourceDefinitions } from '../../../server/src/model/registry.js';
import { REFUSED_CASES, refusedSource } from '../../hardening/refusedAtLoad.js';
import { startLanguageServer, type LspSession } from '../../support/lspClient.js';

/** The text between two LSP positions of `text`. */
function textAt(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  const offset = (position: { line: number; character: number }): number =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return text.slice(offset(range.start), offset(range.end));
}

describe('hardening: bad input refused in the editor, on the field', function () {
  this.timeout(60_000);
  let session: LspSession;

  before(async () => {
    session = await startLanguageServer();
  });
  after(async () => {
    assert.equal(await session.stop(), 0, session.stderr());
  });

  REFUSED_CASES.forEach((refused, index) => {
    it(refused.row, async () => {
      const uri = `file:///refused/${index}/clockwork.ts`;
      const text = refusedSource(refused);
      const published = session.nextDiagnostics(uri, 1);
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const { diagnostics } = await published;
      assert.deepEqual(
        diagnostics.map((diagnostic) => [diagnostic.message, textAt(text, diagnostic.range), diagnostic.source]),
        [[refused.diagnostic, refused.at, 'clockwork']],
      );
    });
  });
});

describe('hardening: the text rules hold for every concept, also one defined later', () => {
  // A kind no file of the model defines: plain zod, nothing but its shape, one free-text field.
  const later = z.strictObject({
    name: z.string(),
    notes: description('thing'),
    body: allowingNul(z.string()).optional(),
    tags: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.array(z.string())).optional(),
  });

  it('refuses a lone surrogate in any string however deep, keys too, and NUL outside free text', () => {
    const result = validateSpec(later, {
      name: 'a\0b',
      notes: 'free \0 text',
      body: 'bytes \0 ok',
      tags: ['ok', 'x\udfff'],
      labels: { ['k\ud800']: ['v'], good: ['ok', 'v\0'] },
    });
    assert.equal(result.ok, false);
    assert.deepEqual(
      !result.ok && result.issues.map((issue) => [issue.path, issue.message.replace(/,? got .*$/s, '')]),
      [
        ['name', 'expected text without a NUL character ("\\u0000"), which no file name, path or shell argument can hold'],
        ['tags.1', 'expected valid Unicode text'],
        ['labels.k\ud800', 'expected a key of valid Unicode text'],
        ['labels.good.1', 'expected text without a NUL character ("\\u0000"), which no file name, path or shell argument can hold'],
      ],
    );
    assert.deepEqual(validateSpec(later, { name: 'ok', notes: 'a\0b', body: '\0', tags: ['🦀'] }), {
      ok: true,
      spec: { name: 'ok', notes: 'a\0b', body: '\0', tags: ['🦀'] },
    });
  });

  it('refuses a lone surrogate in every string field of every registered kind (one field each, as the kind requires)', () => {
    // The fields whose schema takes a string (others refuse 'x' for its type).
    const stringFields = (schema: z.ZodObject): string[] =>
      Object.entries(schema.shape).filter(([, field]) => {
        const parsed = (field as z.ZodType).safeParse('x');
        return parsed.success || !parsed.error.issues.some((issue) => issue.code === 'invalid_type' && issue.path.length === 0);
      }).map(([name]) => name);
    let checked = 0;
    for (const definition of [...resourceDefinitions, ...assertionDefinitions]) {
      for (const field of stringFields(definition.schema as z.ZodObject)) {
        const result = validateSpec(definition.schema, { [field]: 'bad \ud800' });
        assert.equal(result.ok, false, `${definition.kind}.${field}`);
        assert.ok(!result.ok && result.issues.some((issue) => issue.path === field && issue.message.startsWith('expected valid Unicode text')), `${definition.kind}.${field}`);
        checked += 1;
      }
    }
    assert.ok(checked >= 20, `${checked} string fields checked`);
  });
});
