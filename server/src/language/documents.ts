/**
 * Open clockwork documents, kept parsed incrementally: each edit from the editor's
 * incremental sync updates the TypeScript source file with `ts.updateSourceFile`, so an
 * edit costs a fraction of a full parse, and validation reuses the results of unchanged
 * declarations.
 */
import ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { createClockworkSourceFile, parseAround, parseSourceFile } from './parse.js';
import type { ParsedDocument } from './parsedDocument.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './featureOptions.js';
import { tooDeep } from './nesting.js';
import { validate, ValidationCache } from './validate.js';

interface Entry {
  text: TextDocument;
  sourceFile: ts.SourceFile;
  parsed: ParsedDocument | undefined;
  cache: ValidationCache;
  /** Why the text could not be parsed (it nests deeper than the parser's stack allows); sourceFile is then empty. */
  unreadable?: string;
}

/**
 * Parses `text` in full, or (when the TypeScript parser overflows its stack on text nested
 * thousands of levels deep) returns an empty source file and the reason, so the server keeps serving.
 */
function parseOrEmpty(uri: string, text: string, update?: () => ts.SourceFile): { sourceFile: ts.SourceFile; unreadable?: string } {
  // Too deep for a recursive reader: refused by depth, before any parse, so the same text gets
  // the same answer however it was reached (a stack overflow's depth varies from run to run).
  const deep = tooDeep(text);
  if (deep !== undefined) return { sourceFile: createClockworkSourceFile(uri, ''), unreadable: deep };
  try {
    return { sourceFile: update ? update() : createClockworkSourceFile(uri, text) };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      sourceFile: createClockworkSourceFile(uri, ''),
      unreadable: `Clockwork cannot read this file: it nests too deeply for the TypeScript parser (${error.message}).`,
    };
  }
}

/** The open documents, by URI. */
export class ClockworkDocuments {
  private readonly entries = new Map<string, Entry>();

  /** Starts tracking a document. */
  open(uri: string, version: number, text: string): void {
    this.entries.set(uri, {
      text: TextDocument.create(uri, 'typescript', version, text),
      ...parseOrEmpty(uri, text),
      parsed: undefined,
      cache: new ValidationCache(),
    });
  }

  /**
   * Applies the editor's changes (incremental or whole-text) in order, then parses once: one
   * incremental update covering every range change (collapsed into one change range), or a
   * full parse when the batch replaces the whole text or the previous text was unreadable.
   */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    const previous = entry.sourceFile;
    let incremental = entry.unreadable === undefined;
    const ranges: ts.TextChangeRange[] = [];
    for (const change of changes) {
      const before = entry.text;
      if ('range' in change) {
        const start = before.offsetAt(change.range.start);
        const end = before.offsetAt(change.range.end);
        ranges.push(ts.createTextChangeRange(ts.createTextSpan(start, end - start), change.text.length));
      } else {
        incremental = false;
      }
      entry.text = TextDocument.update(before, [change], version);
    }
    const text = entry.text.getText();
    const parsed =
      incremental && ranges.length > 0
        ? parseOrEmpty(uri, text, () => ts.updateSourceFile(previous, text, ts.collapseTextChangeRangesAcrossMultipleVersions(ranges)))
        : parseOrEmpty(uri, text);
    entry.sourceFile = parsed.sourceFile;
    if (parsed.unreadable === undefined) delete entry.unreadable;
    else entry.unreadable = parsed.unreadable;
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
    return readable(uri, entry, () => (entry.parsed ??= parseSourceFile(uri, entry.sourceFile)));
  }

  /** A parse of the declarations around `offsets` only (for completion, hover, quick fixes). */
  around(uri: string, offsets: number | readonly number[]): ParsedDocument | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    return readable(uri, entry, () => entry.parsed ?? parseAround(uri, entry.sourceFile, offsets));
  }

  /** The document's current text, if it is open. */
  text(uri: string): string | undefined {
    return this.entries.get(uri)?.text.getText();
  }

  /** The offset of a position in the current text. */
  offsetAt(uri: string, position: { line: number; character: number }): number {
    return this.entries.get(uri)?.text.offsetAt(position) ?? 0;
  }

  /** The document's diagnostics, reusing results of declarations that did not change. */
  diagnostics(uri: string, options: Pick<FeatureOptions, 'typescript'> = DEFAULT_FEATURE_OPTIONS): Diagnostic[] {
    const entry = this.entries.get(uri);
    if (entry?.unreadable !== undefined) {
      return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1, source: 'clockwork', message: entry.unreadable }];
    }
    if (!entry) return [];
    return readable(
      uri,
      entry,
      () => validate({ sourceFile: entry.sourceFile, text: entry.sourceFile.text }, entry.cache, options),
      () => this.diagnostics(uri, options),
    );
  }
}

/**
 * Runs `read` over the entry's syntax tree; when the tree is too deep for it (a RangeError:
 * the stack overflowed), marks the entry unreadable (an empty tree) and reads that instead.
 */
function readable<T>(uri: string, entry: Entry, read: () => T, retry: () => T = read): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof RangeError) || entry.unreadable !== undefined) throw error;
    entry.unreadable = `Clockwork cannot read this file: it nests too deeply (${error.message}).`;
    entry.sourceFile = createClockworkSourceFile(uri, '');
    entry.parsed = undefined;
    entry.cache = new ValidationCache();
    return retry();
  }
}
