/**
 * The static reading of a clockwork.ts file: the TypeScript parser (no program, no type
 * checker, never running user code) finds every resource and assertion construction and
 * turns its object literal into a value tree that keeps the source range of each property
 * and element. Values that are not literals are `unknown`: validation skips them.
 */
import ts from 'typescript';
import { ConstructionReader } from './constructionReader.js';
import { findExportArray, readImports, topLevelNames } from './fileScope.js';
import type { ParsedDocument } from './parsedDocument.js';

/**
 * A parse of only the declarations around `offsets` (for each, the outermost Clockwork
 * construction containing it): enough for completion, hover and quick fixes at those spots,
 * at a fraction of the cost of reading a large file whole.
 */
export function parseAround(uri: string, sourceFile: ts.SourceFile, offsets: number | readonly number[]): ParsedDocument {
  const imports = readImports(sourceFile);
  const declared = topLevelNames(sourceFile);
  const reader = new ConstructionReader(sourceFile, imports, declared);
  const visited = new Set<ts.Node>();
  for (const offset of typeof offsets === 'number' ? [offsets] : offsets) {
    let current: ts.Node = sourceFile;
    for (;;) {
      if (ts.isNewExpression(current) && reader.resolveClass(current.expression)) {
        if (!visited.has(current)) reader.visit(current);
        visited.add(current);
        break;
      }
      const children: ts.Node[] = [];
      ts.forEachChild(current, (child) => {
        children.push(child);
      });
      const next = childAt(children, offset, sourceFile);
      if (!next) break;
      current = next;
    }
  }
  return finishDocument(uri, sourceFile, reader, imports);
}

/** The child whose range contains `offset` (children are in source order: binary search). */
function childAt(children: readonly ts.Node[], offset: number, sourceFile: ts.SourceFile): ts.Node | undefined {
  let low = 0;
  let high = children.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const child = children[middle];
    if (!child) return undefined;
    if (child.end < offset) low = middle + 1;
    else if (child.getStart(sourceFile) > offset) high = middle - 1;
    else return child;
  }
  return undefined;
}

/** The parsed document once `reader` has visited what it needs of `sourceFile`. */
function finishDocument(uri: string, sourceFile: ts.SourceFile, reader: ConstructionReader, imports: ParsedDocument['imports']): ParsedDocument {
  reader.attachAssertions();
  return {
    uri,
    text: sourceFile.text,
    sourceFile,
    resources: reader.resources,
    assertions: reader.assertions,
    hosts: reader.hosts,
    imports,
    exportArray: findExportArray(sourceFile),
    hasSyntaxErrors: hasParseErrors(sourceFile),
  };
}

function hasParseErrors(sourceFile: ts.SourceFile): boolean {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return (diagnostics?.length ?? 0) > 0;
}

/** Parses `text` from scratch. */
export function parseText(uri: string, text: string): ParsedDocument {
  return parseSourceFile(uri, createClockworkSourceFile(uri, text));
}

/** A TypeScript source file for a clockwork document, with parent pointers set. */
export function createClockworkSourceFile(uri: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileNameOf(uri), text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function fileNameOf(uri: string): string {
  const slash = uri.lastIndexOf('/');
  return slash >= 0 ? uri.slice(slash + 1) || 'clockwork.ts' : uri;
}

/** Reads the resources and assertions of an already parsed source file. */
export function parseSourceFile(uri: string, sourceFile: ts.SourceFile): ParsedDocument {
  const imports = readImports(sourceFile);
  const reader = new ConstructionReader(sourceFile, imports, topLevelNames(sourceFile));
  reader.visit(sourceFile);
  return finishDocument(uri, sourceFile, reader, imports);
}
