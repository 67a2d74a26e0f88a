/**
 * Open clockwork documents, kept parsed incrementally: each edit from the editor's
 * incremental sync updates the TypeScript source file with `ts.updateSourceFile`, so an
 * edit costs a fraction of a full parse, and validation reuses the results of unchanged
 * declarations.
 */
import ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { createClockworkSourceFile, parseAround, parseSourceFile, type ParsedDocument } from './parse.js';
import { validate, ValidationCache } from './validate.js';

interface Entry {
  text: TextDocument;
  sourceFile: ts.SourceFile;
  parsed: ParsedDocument | undefined;
  cache: ValidationCache;
}

/** The open documents, by URI. */
export class ClockworkDocuments {
  private readonly entries = new Map<string, Entry>();

  /** Starts tracking a document. */
  open(uri: string, version: number, text: string): void {
    this.entries.set(uri, {
      text: TextDocument.create(uri, 'typescript', version, text),
      sourceFile: createClockworkSourceFile(uri, text),
      parsed: undefined,
      cache: new ValidationCache(),
    });
  }

  /** Applies the editor's changes (incremental or whole-text) in order. */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    for (const change of changes) {
      const before = entry.text;
      if ('range' in change) {
        const start = before.offsetAt(change.range.start);
        const end = before.offsetAt(change.range.end);
        entry.text = TextDocument.update(before, [change], version);
        entry.sourceFile = ts.updateSourceFile(entry.sourceFile, entry.text.getText(), {
          span: { start, length: end - start },
          newLength: change.text.length,
        });
      } else {
        entry.text = TextDocument.update(before, [change], version);
        entry.sourceFile = createClockworkSourceFile(uri, change.text);
      }
    }
    entry.parsed = undefined;
  }

  /** Stops tracking a document. */
  close(uri: string): void {
    this.entries.delete(uri);
  }

  /** The URIs of the open documents. */
  uris(): string[] {
    return [...this.entries.keys()];
  }

  /** The document's version, if it is open. */
  version(uri: string): number | undefined {
    return this.entries.get(uri)?.text.version;
  }

  /** The parsed document (read once per version). */
  get(uri: string): ParsedDocument | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    entry.parsed ??= parseSourceFile(uri, entry.sourceFile);
    return entry.parsed;
  }

  /** A parse of the declaration around `offset` only (for completion, hover, quick fixes). */
  around(uri: string, offset: number): ParsedDocument | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    return entry.parsed ?? parseAround(uri, entry.sourceFile, offset);
  }

  /** The offset of a position in the current text. */
  offsetAt(uri: string, position: { line: number; character: number }): number {
    return this.entries.get(uri)?.text.offsetAt(position) ?? 0;
  }

  /** The document's diagnostics, reusing results of declarations that did not change. */
  diagnostics(uri: string): Diagnostic[] {
    const entry = this.entries.get(uri);
    return entry ? validate({ sourceFile: entry.sourceFile, text: entry.sourceFile.text }, entry.cache) : [];
  }
}
