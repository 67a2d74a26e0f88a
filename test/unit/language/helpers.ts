/** Helpers for the language-feature tests: fixtures, positions and the text a range covers. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { parseText } from '../../../server/src/language/parse.js';
import type { ParsedDocument } from '../../../server/src/language/parsedDocument.js';
import { offsetAt } from '../../../server/src/language/textPositions.js';

/** The text of a fixture under test/unit/language/fixtures. */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
}

/** Parses text as the clockwork.ts of /project. */
export function parse(text: string): ParsedDocument {
  return parseText('file:///project/clockwork.ts', text);
}

/** The position `delta` characters after the first occurrence of `needle` (default: its end). */
export function positionAfter(text: string, needle: string, delta = needle.length): Position {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, index + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** `line:col-line:col`, 1-based lines and 0-based columns as editors show them. */
export function where(range: Range): string {
  return `${range.start.line + 1}:${range.start.character}-${range.end.line + 1}:${range.end.character}`;
}

/** The text a range covers. */
export function covered(doc: ParsedDocument, range: Range): string {
  return doc.text.slice(offsetAt(doc, range.start), offsetAt(doc, range.end));
}

/** Applies edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const doc = parse(text);
  const sorted = [...edits].sort((a, b) => offsetAt(doc, b.range.start) - offsetAt(doc, a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offsetAt(doc, edit.range.start)) + edit.newText + result.slice(offsetAt(doc, edit.range.end));
  }
  return result;
}
