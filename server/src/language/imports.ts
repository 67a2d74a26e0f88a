/** Adding a class to the file's import from "clockwork". */
import type { TextEdit } from 'vscode-languageserver-types';
import ts from 'typescript';
import { CLOCKWORK_MODULE } from './fileScope.js';
import type { ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';

/** The name to write for `kind` in this file (its import alias, `ns.Kind`, or the kind itself). */
export function localNameFor(doc: ParsedDocument, kind: string): string {
  const local = doc.imports.kindToLocal.get(kind);
  if (local) return local;
  const namespace = [...doc.imports.namespaces][0];
  return namespace ? `${namespace}.${kind}` : kind;
}

/** The edit that imports `kind` from "clockwork", or undefined when it is already available. */
export function importEdit(doc: ParsedDocument, kind: string): TextEdit | undefined {
  const { imports, text } = doc;
  if (imports.kindToLocal.has(kind) || imports.namespaces.size > 0) return undefined;
  const bindings = imports.declaration?.importClause?.namedBindings;
  if (bindings && ts.isNamedImports(bindings)) {
    const elements = bindings.elements;
    const last = elements[elements.length - 1];
    const open = bindings.getStart(doc.sourceFile);
    if (!last) {
      return { range: toRange(doc, { start: open, end: bindings.end }), newText: `{ ${kind} }` };
    }
    const first = elements[0] ?? last;
    const firstStart = first.getStart(doc.sourceFile);
    const multiline = text.slice(open, firstStart).includes('\n');
    const lineStart = text.lastIndexOf('\n', firstStart - 1) + 1;
    const indent = text.slice(lineStart, firstStart);
    if (elements.hasTrailingComma) {
      const comma = text.indexOf(',', last.end);
      const at = comma + 1;
      return { range: toRange(doc, { start: at, end: at }), newText: multiline ? `\n${indent}${kind},` : ` ${kind},` };
    }
    return { range: toRange(doc, { start: last.end, end: last.end }), newText: multiline ? `,\n${indent}${kind}` : `, ${kind}` };
  }
  const quote = imports.quote;
  const line = `import { ${kind} } from ${quote}${CLOCKWORK_MODULE}${quote};`;
  if (imports.insertAt > 0) {
    return { range: toRange(doc, { start: imports.insertAt, end: imports.insertAt }), newText: `\n${line}` };
  }
  const first = doc.sourceFile.statements[0];
  const at = first ? first.getStart(doc.sourceFile) : 0;
  return { range: toRange(doc, { start: at, end: at }), newText: `${line}\n\n` };
}
