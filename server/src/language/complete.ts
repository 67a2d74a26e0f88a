/**
 * Completion: assertion classes inside a resource's `assertions: [ … ]` (those that apply,
 * most relevant first), resource classes in the exported array, and inside `new X({ … })`
 * the fields not yet given or the values a field accepts.
 */
import ts from 'typescript';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { COMMON_RESOURCE_FIELDS } from '../model/define.js';
import { assertionDefinitions, resourceDefinitions, type AssertionDefinition } from '../model/registry.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './featureOptions.js';
import { hostClassItems, hostItems } from './hosts.js';
import { importEdit } from './imports.js';
import { type Construction, constructionAt, type ParsedDocument, propertyOf, type ResourceNode } from './parsedDocument.js';
import { offsetAt, toRange } from './textPositions.js';
import { conceptInfo, conceptMarkdown, fieldMarkdown, type FieldInfo } from './schemaInfo.js';
import { constructionSnippet, resourceFacts, snippetToPlain, valueSnippet } from './snippets.js';

/**
 * The completion items at `position`. Without snippet support each snippet becomes the plain
 * text it inserts with its defaults (the import stays an additional edit, which every client applies).
 */
export function complete(doc: ParsedDocument, position: Position, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): CompletionItem[] {
  const items = completeSnippets(doc, position, options);
  return options.snippetSupport ? items : items.map(withoutSnippet);
}

function withoutSnippet(item: CompletionItem): CompletionItem {
  if (item.insertTextFormat !== InsertTextFormat.Snippet) return item;
  const plain: CompletionItem = { ...item, insertTextFormat: InsertTextFormat.PlainText };
  if (item.textEdit) plain.textEdit = { ...item.textEdit, newText: snippetToPlain(item.textEdit.newText) };
  if (item.insertText !== undefined) plain.insertText = snippetToPlain(item.insertText);
  return plain;
}

function completeSnippets(doc: ParsedDocument, position: Position, options: FeatureOptions): CompletionItem[] {
  const offset = offsetAt(doc, position);
  const chain = ancestorsAt(doc.sourceFile, offset);
  for (let index = chain.length - 1; index >= 0; index--) {
    const node = chain[index];
    if (!node) continue;
    if (ts.isArrayLiteralExpression(node)) {
      const element = chain[index + 1];
      const replace = prefixRange(doc, element, offset);
      if (replace === null) return [];
      if (node === doc.exportArray) return resourceItems(doc, replace, options);
      const targeting = resourceOwningArray(doc, node, 'targets');
      if (targeting) return hostItems(doc, targeting, replace);
      const resource = resourceOwningArray(doc, node, 'assertions');
      return resource ? assertionItems(doc, resource, replace, options) : [];
    }
    if (ts.isObjectLiteralExpression(node)) {
      const construction = constructionAt(doc, offset);
      const args = construction?.args;
      if (!construction || args?.type !== 'object' || args.range.start !== node.getStart(doc.sourceFile)) return [];
      // TypeScript completes field names and values from the declarations: not twice.
      return options.typescript ? [] : fieldItems(doc, construction, offset);
    }
    if (ts.isVariableDeclaration(node) && node.initializer && chain[index + 1] === node.initializer) {
      // `const web1 = new Ss|`: a host is declared once and named in targets.
      const replace = prefixRange(doc, node.initializer, offset);
      return replace === null ? [] : hostClassItems(doc, replace, rangeText(doc, replace), (kind) => constructionLabel(kind, options));
    }
    if (ts.isNewExpression(node) || ts.isCallExpression(node) || ts.isFunctionLike(node)) {
      // Inside another construction's arguments or a function: only an array or object
      // directly around the cursor counts, which the loop has already passed.
      if (!ts.isNewExpression(node) || chain[index + 1] !== node.expression) return [];
    }
  }
  return [];
}

/** The nodes containing `offset`, outermost first. */
function ancestorsAt(sourceFile: ts.SourceFile, offset: number): ts.Node[] {
  const chain: ts.Node[] = [sourceFile];
  let current: ts.Node = sourceFile;
  for (;;) {
    const children: ts.Node[] = [];
    ts.forEachChild(current, (child) => {
      children.push(child);
    });
    // Children are in source order: binary search for the last one starting before the cursor.
    let low = 0;
    let high = children.length - 1;
    let candidate: ts.Node | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const child = children[middle];
      if (child && child.getStart(sourceFile) < offset) {
        candidate = child;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    const following = children[low];
    let next: ts.Node | undefined;
    if (candidate && offset <= candidate.end) next = candidate;
    else if (following && following.kind === ts.SyntaxKind.Identifier && following.getStart(sourceFile) === offset) next = following;
    if (!next) return chain;
    chain.push(next);
    current = next;
  }
}

/**
 * The range a new element replaces: the identifier or `new Ident` being typed, or an empty
 * range at the cursor. `null` when the cursor is inside an element that is something else.
 */
function prefixRange(doc: ParsedDocument, element: ts.Node | undefined, offset: number): Range | null {
  if (!element) return toRange(doc, { start: offset, end: offset });
  const start = element.getStart(doc.sourceFile);
  const typed = doc.text.slice(start, offset);
  if (!/^(new\s+)?[A-Za-z_$][\w$]*$|^new\s*$/.test(typed)) return null;
  return toRange(doc, { start, end: Math.max(offset, start) });
}

/** The resource whose `field: [...]` (assertions or targets) is this array literal. */
function resourceOwningArray(doc: ParsedDocument, array: ts.ArrayLiteralExpression, field: 'assertions' | 'targets'): ResourceNode | undefined {
  const start = array.getStart(doc.sourceFile);
  const property = array.parent;
  if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || property.name.text !== field) {
    return undefined;
  }
  return doc.resources.find((resource) => resource.args?.type === 'object' && propertyOf(resource.args, field)?.value.range.start === start);
}

/** 0: made for this kind; 1: works anywhere; 2: needs an extra field here. */
function relevance(definition: AssertionDefinition, resourceKind: string): number {
  if (definition.appliesTo.native.includes(resourceKind)) return 0;
  return definition.appliesTo.elsewhere === 'any' ? 1 : 2;
}

/**
 * The label of a construction item: the class name, or, beside a TypeScript server that
 * offers the class name itself, `new X(…)` (what Clockwork adds: a whole construction).
 */
function constructionLabel(kind: string, options: FeatureOptions): string {
  return options.typescript ? `new ${kind}(…)` : kind;
}

function assertionItems(doc: ParsedDocument, resource: ResourceNode, replace: Range, options: FeatureOptions): CompletionItem[] {
  const typed = rangeText(doc, replace);
  const facts = resourceFacts(resource); // once for all 15 items
  return assertionDefinitions
    .map((definition, order) => ({ definition, order, rank: relevance(definition, resource.kind) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ definition, rank }, position): CompletionItem => {
      const elsewhere = definition.appliesTo.elsewhere;
      const extra = rank === 2 && typeof elsewhere === 'object' ? [elsewhere.requires] : [];
      const snippet = constructionSnippet(doc, definition, resource, extra, facts);
      const info = conceptInfo(definition);
      const edit = importEdit(doc, definition.kind);
      return {
        label: constructionLabel(definition.kind, options),
        kind: CompletionItemKind.Class,
        detail: rank === 0 ? `assertion for ${resource.kind}` : rank === 1 ? 'assertion (works on any resource)' : `assertion (needs ${extra.join(', ')} here)`,
        documentation: { kind: MarkupKind.Markdown, value: conceptMarkdown(info, { resource: false }) },
        sortText: String(position).padStart(3, '0'),
        filterText: typed.startsWith('new') ? `new ${definition.kind}` : definition.kind,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: replace, newText: snippet },
        ...(edit ? { additionalTextEdits: [edit] } : {}),
        ...(position === 0 ? { preselect: true } : {}),
      };
    });
}

function resourceItems(doc: ParsedDocument, replace: Range, options: FeatureOptions): CompletionItem[] {
  const typed = rangeText(doc, replace);
  return resourceDefinitions.map((definition, position): CompletionItem => {
    const edit = importEdit(doc, definition.kind);
    return {
      label: constructionLabel(definition.kind, options),
      kind: CompletionItemKind.Class,
      detail: 'resource',
      documentation: { kind: MarkupKind.Markdown, value: conceptMarkdown(conceptInfo(definition), { resource: true }) },
      sortText: String(position).padStart(3, '0'),
      filterText: typed.startsWith('new') ? `new ${definition.kind}` : definition.kind,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: replace, newText: constructionSnippet(doc, definition, undefined) },
      ...(edit ? { additionalTextEdits: [edit] } : {}),
    };
  });
}

function rangeText(doc: ParsedDocument, range: Range): string {
  return doc.text.slice(offsetAt(doc, range.start), offsetAt(doc, range.end));
}

/** Where the cursor is inside an object literal: at a field name, or in the value of `field`. */
type ObjectSlot = { type: 'name'; start: number } | { type: 'value'; field: string; start: number; quoted: boolean } | undefined;

/** Reads backwards from the cursor to see whether it is at a name or after `name:`. */
function objectSlot(text: string, offset: number): ObjectSlot {
  let index = offset;
  let quoted = false;
  // The word (or the opened string) being typed.
  const word = /[\w$]*$/.exec(text.slice(Math.max(0, offset - 200), offset))?.[0] ?? '';
  index -= word.length;
  if (text[index - 1] === '"' || text[index - 1] === "'") {
    quoted = true;
    index -= 1;
  }
  const start = index;
  while (index > 0 && /\s/.test(text[index - 1] ?? '')) index--;
  const before = text[index - 1];
  if (before === '{' || before === ',') return quoted ? undefined : { type: 'name', start };
  if (before !== ':') return undefined;
  index--;
  while (index > 0 && /\s/.test(text[index - 1] ?? '')) index--;
  const name = /["']?([\w$]+)["']?$/.exec(text.slice(Math.max(0, index - 200), index))?.[1];
  return name ? { type: 'value', field: name, start: quoted ? start + 1 : start, quoted } : undefined;
}

function fieldItems(doc: ParsedDocument, construction: Construction, offset: number): CompletionItem[] {
  const slot = objectSlot(doc.text, offset);
  if (!slot) return [];
  const info = conceptInfo(construction.definition);
  const replace = toRange(doc, { start: slot.start, end: offset });
  if (slot.type === 'value') {
    const field = info.field(slot.field);
    return field ? valueItems(field, replace, slot.quoted, doc.imports.quote) : [];
  }
  const given = new Set(construction.args?.type === 'object' ? construction.args.properties.map((property) => property.name) : []);
  const typedName = doc.text.slice(slot.start, offset);
  const owner = construction.category === 'assertion' ? doc.resources.find((resource) => resource.assertions.includes(construction)) : undefined;
  const facts = resourceFacts(owner);
  const items = info.fields
    .filter((field) => !given.has(field.name) || field.name === typedName)
    .map(
      (field): CompletionItem => ({
        label: field.name,
        kind: CompletionItemKind.Property,
        detail: `${field.typeText}${field.required ? ' (required)' : ''}`,
        documentation: { kind: MarkupKind.Markdown, value: fieldMarkdown(info, field) },
        sortText: `${field.required ? 0 : 1}${field.name}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: replace, newText: `${field.name}: ${valueSnippet(field, 1, facts, doc.imports.quote)}` },
      }),
    );
  if (construction.category === 'resource') {
    for (const [name, field] of Object.entries(COMMON_RESOURCE_FIELDS)) {
      if (given.has(name)) continue;
      items.push({
        label: name,
        kind: CompletionItemKind.Property,
        detail: field.typeText,
        documentation: { kind: MarkupKind.Markdown, value: `${field.description} E.g. \`${name}: ${field.example}\`.` },
        sortText: `2${name}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: replace, newText: `${name}: [$1]` },
      });
    }
  }
  return items;
}

function valueItems(field: FieldInfo, replace: Range, quoted: boolean, quote: string): CompletionItem[] {
  const values: (string | number | boolean)[] = field.enumValues
    ? [...field.enumValues]
    : field.jsonType === 'boolean'
      ? [true, false]
      : [];
  return values.map(
    (value, index): CompletionItem => ({
      label: typeof value === 'string' && !quoted ? `${quote}${value}${quote}` : String(value),
      kind: typeof value === 'boolean' ? CompletionItemKind.Keyword : CompletionItemKind.EnumMember,
      detail: value === field.defaultValue ? 'default' : field.typeText,
      sortText: String(index).padStart(3, '0'),
      textEdit: { range: replace, newText: typeof value === 'string' && !quoted ? `${quote}${value}${quote}` : String(value) },
      ...(field.description ? { documentation: field.description } : {}),
    }),
  );
}
