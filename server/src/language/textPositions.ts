/** Conversions between offsets in the document text and LSP line/character positions (UTF-16). */
import type ts from 'typescript';
import type { Position } from 'vscode-languageserver-types';
import type { TextRange, TextSource } from './parsedDocument.js';

/** The 0-based line/character of an offset. */
export function positionAt(doc: TextSource, offset: number): Position {
  const { line, character } = doc.sourceFile.getLineAndCharacterOfPosition(Math.max(0, Math.min(offset, doc.text.length)));
  return { line, character };
}

/** The offset of a 0-based line/character (clamped to the text). */
export function offsetAt(doc: TextSource, position: Position): number {
  const starts = doc.sourceFile.getLineStarts();
  if (position.line >= starts.length) return doc.text.length;
  const lineStart = starts[Math.max(0, position.line)] ?? 0;
  const nextStart = starts[position.line + 1] ?? doc.text.length;
  return Math.min(lineStart + Math.max(0, position.character), nextStart);
}

/** An LSP range for a text range. */
export function toRange(doc: TextSource, range: TextRange): { start: Position; end: Position } {
  return { start: positionAt(doc, range.start), end: positionAt(doc, range.end) };
}

/** The range of a syntax node, from its first token (comments excluded) to its end. */
export function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): TextRange {
  return { start: node.getStart(sourceFile), end: node.end };
}
