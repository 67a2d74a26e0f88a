/**
 * Quick fixes for Clockwork diagnostics: rename an unknown property to the suggestion,
 * normalise a value (a symbolic mode to octal), add a missing required property, add the
 * missing import.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { assertionDefinition, resourceDefinition } from '../model/registry.js';
import { importEdit } from './imports.js';
import type { ObjectValue, ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';
import { conceptInfo } from './schemaInfo.js';
import { resourceFacts, valueText } from './snippets.js';
import { DIAGNOSTIC_SOURCE, fixStillApplies, type FixData } from './validate.js';

/**
 * The quick fixes for the Clockwork diagnostics among `diagnostics` (those of the request's
 * context). Every edit is placed from the offsets the diagnostic's `data` carries, in the
 * server's own text: the range the client echoes back is not trusted (Neovim 0.7 sends byte
 * columns), and a diagnostic whose text has changed since gets no fix.
 */
export function codeActions(doc: ParsedDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const data = fixDataOf(diagnostic);
    if (!data || !fixStillApplies(doc.text, data)) continue;
    const action = fixFor(doc, diagnostic, data);
    if (action) actions.push(action);
  }
  return actions;
}

/**
 * The diagnostics of a code action request with their fix data brought up to date: a
 * diagnostic published for an earlier version of the text (the user typed, then asked for a
 * fix before the new diagnostics arrived) takes the data of the same problem in `current`
 * (same code and message, nearest line: lines mean the same in every client, columns do not).
 * `current` is asked only when some diagnostic is out of date.
 */
export function withCurrentFixData(diagnostics: readonly Diagnostic[], current: () => readonly Diagnostic[], text: string): Diagnostic[] {
  let currentDiagnostics: readonly Diagnostic[] | undefined;
  return diagnostics.map((diagnostic) => {
    const data = fixDataOf(diagnostic);
    if (!data || fixStillApplies(text, data)) return diagnostic;
    let best: Diagnostic | undefined;
    for (const candidate of (currentDiagnostics ??= current())) {
      const candidateData = fixDataOf(candidate);
      if (!candidateData || candidate.code !== diagnostic.code || candidate.message !== diagnostic.message || candidateData.fix !== data.fix) continue;
      const distance = Math.abs(candidate.range.start.line - diagnostic.range.start.line);
      if (!best || distance < Math.abs(best.range.start.line - diagnostic.range.start.line)) best = candidate;
    }
    return best ? { ...diagnostic, data: best.data } : diagnostic;
  });
}

/** The offsets the quick fixes of these diagnostics need parsed (see `parseAround`). */
export function fixOffsets(diagnostics: readonly Diagnostic[]): number[] {
  return diagnostics.flatMap((diagnostic) => {
    const data = fixDataOf(diagnostic);
    return data ? [data.start] : [];
  });
}

function fixDataOf(diagnostic: Diagnostic): FixData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.data !== 'object' || diagnostic.data === null) return undefined;
  const data = diagnostic.data as Partial<FixData>;
  return typeof data.fix === 'string' && typeof data.start === 'number' && typeof data.end === 'number' && typeof data.covered === 'string'
    ? (data as FixData)
    : undefined;
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
  const range = toRange(doc, data);
  switch (data.fix) {
    case 'rename':
      return typeof data.to === 'string' ? quickFix(doc, `Change to "${data.to}"`, diagnostic, [{ range, newText: data.to }]) : undefined;
    case 'replace': {
      if (typeof data.text !== 'string') return undefined;
      const quote = doc.text[data.start] === "'" ? "'" : '"';
      return quickFix(doc, `Change to ${quote}${data.text}${quote}`, diagnostic, [{ range, newText: `${quote}${data.text}${quote}` }]);
    }
    case 'addImport': {
      const edit = typeof data.kind === 'string' ? importEdit(doc, data.kind) : undefined;
      return edit ? quickFix(doc, `Import ${data.kind} from "clockwork"`, diagnostic, [edit]) : undefined;
    }
    case 'addProperty':
      return addProperty(doc, diagnostic, data);
    default:
      return undefined;
  }
}

function addProperty(doc: ParsedDocument, diagnostic: Diagnostic, data: FixData & { fix: 'addProperty' }): CodeAction | undefined {
  const construction = [...doc.resources, ...doc.assertions].find(
    (item) => item.kind === data.kind && item.args?.type === 'object' && item.args.range.start === data.start && item.args.range.end === data.end,
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
