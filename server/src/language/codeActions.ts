/**
 * Quick fixes for Clockwork diagnostics: rename an unknown property to the suggestion,
 * normalise a value (a symbolic mode to octal), add a missing required property, add the
 * missing import.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import { assertionDefinition, resourceDefinition } from '../model/registry.js';
import { importEdit } from './imports.js';
import type { ObjectValue, ParsedDocument } from './parsedDocument.js';
import { offsetAt, toRange } from './textPositions.js';
import { conceptInfo } from './schemaInfo.js';
import { resourceFacts, valueText } from './snippets.js';
import { DIAGNOSTIC_SOURCE, type FixData } from './validate.js';

/** The quick fixes for the Clockwork diagnostics among `diagnostics` (those of the request's context). */
export function codeActions(doc: ParsedDocument, _range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || !diagnostic.data) continue;
    const action = fixFor(doc, diagnostic, diagnostic.data as FixData);
    if (action) actions.push(action);
  }
  return actions;
}

function quickFix(doc: ParsedDocument, title: string, diagnostic: Diagnostic, edits: TextEdit[]): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [doc.uri]: edits } },
  };
}

function fixFor(doc: ParsedDocument, diagnostic: Diagnostic, data: FixData): CodeAction | undefined {
  switch (data.fix) {
    case 'rename':
      return quickFix(doc, `Change to "${data.to}"`, diagnostic, [{ range: diagnostic.range, newText: data.to }]);
    case 'replace': {
      const start = offsetAt(doc, diagnostic.range.start);
      const quote = doc.text[start] === "'" ? "'" : '"';
      return quickFix(doc, `Change to ${quote}${data.text}${quote}`, diagnostic, [
        { range: diagnostic.range, newText: `${quote}${data.text}${quote}` },
      ]);
    }
    case 'addImport': {
      const edit = importEdit(doc, data.kind);
      return edit ? quickFix(doc, `Import ${data.kind} from "clockwork"`, diagnostic, [edit]) : undefined;
    }
    case 'addProperty':
      return addProperty(doc, diagnostic, data);
  }
}

function addProperty(doc: ParsedDocument, diagnostic: Diagnostic, data: { kind: string; name: string }): CodeAction | undefined {
  const start = offsetAt(doc, diagnostic.range.start);
  const construction = [...doc.resources, ...doc.assertions].find(
    (item) => item.kind === data.kind && item.args?.type === 'object' && item.args.range.start === start,
  );
  const definition = resourceDefinition(data.kind) ?? assertionDefinition(data.kind);
  const field = definition && conceptInfo(definition).field(data.name);
  if (!construction || construction.args?.type !== 'object' || !field) return undefined;
  const owner = construction.category === 'assertion' ? doc.resources.find((resource) => resource.assertions.includes(construction)) : undefined;
  const value = valueText(field, resourceFacts(owner), doc.imports.quote);
  return quickFix(doc, `Add ${data.name}`, diagnostic, [insertProperty(doc, construction.args, `${data.name}: ${value}`)]);
}

/** An edit adding `property` as the first entry of an object literal, matching its layout. */
function insertProperty(doc: ParsedDocument, object: ObjectValue, property: string): TextEdit {
  const open = object.range.start + 1;
  const first = object.properties[0];
  if (!first) {
    const inner = doc.text.slice(open, object.range.end - 1);
    return { range: toRange(doc, { start: open, end: object.range.end - 1 }), newText: inner.includes('\n') ? `\n  ${property},\n` : ` ${property} ` };
  }
  const between = doc.text.slice(open, first.range.start);
  if (between.includes('\n')) {
    const indent = between.slice(between.lastIndexOf('\n') + 1);
    return { range: toRange(doc, { start: first.range.start, end: first.range.start }), newText: `${property},\n${indent}` };
  }
  return { range: toRange(doc, { start: first.range.start, end: first.range.start }), newText: `${property}, ` };
}
