/** Document symbols (the Outline view): each resource, with its assertions as children. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { AssertionNode, ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';
import { plainValue } from './specValue.js';

/** A short label of an assertion's literal spec (e.g. `port 8080`), or '' when unknown. */
export function assertionLabel(assertion: AssertionNode): string {
  if (assertion.args?.type !== 'object') return '';
  const parsed = assertion.definition.schema.safeParse(plainValue(assertion.args));
  if (!parsed.success) return '';
  try {
    return assertion.definition.label(parsed.data);
  } catch {
    return '';
  }
}

/** One symbol per host and per resource (name and kind), in file order, a resource's assertions as its children. */
export function symbols(doc: ParsedDocument): DocumentSymbol[] {
  const hosts = doc.hosts.map((host): DocumentSymbol => ({
    name: host.name ?? `(unnamed ${host.kind})`,
    detail: host.kind,
    kind: SymbolKind.Object,
    range: toRange(doc, host.range),
    selectionRange: toRange(doc, host.classRange),
  }));
  const at = (symbol: DocumentSymbol): number => symbol.range.start.line * 1e6 + symbol.range.start.character;
  return [...hosts, ...resourceSymbols(doc)].sort((a, b) => at(a) - at(b));
}

function resourceSymbols(doc: ParsedDocument): DocumentSymbol[] {
  return doc.resources.map((resource): DocumentSymbol => {
    const children = resource.assertions.map((assertion): DocumentSymbol => {
      const label = assertionLabel(assertion);
      return {
        name: assertion.kind,
        ...(label ? { detail: label } : {}),
        kind: SymbolKind.Method,
        range: toRange(doc, assertion.range),
        selectionRange: toRange(doc, assertion.classRange),
      };
    });
    return {
      name: resource.name ?? `(unnamed ${resource.kind})`,
      detail: resource.kind,
      kind: SymbolKind.Class,
      range: toRange(doc, resource.range),
      selectionRange: toRange(doc, resource.classRange),
      children,
    };
  });
}
