/**
 * The static reading of a clockwork.ts file: the TypeScript parser (no program, no type
 * checker, never running user code) finds every resource and assertion construction and
 * turns its object literal into a value tree that keeps the source range of each property
 * and element. Values that are not literals are `unknown`: validation skips them.
 */
import ts from 'typescript';
import type { Position } from 'vscode-languageserver-types';
import {
  assertionDefinition,
  resourceDefinition,
  type AssertionDefinition,
  type ResourceDefinition,
} from '../model/registry.js';

/** The module specifier users import Clockwork's classes from. */
export const CLOCKWORK_MODULE = 'clockwork';

/** Half-open offsets into the document text. */
export interface TextRange {
  start: number;
  end: number;
}

/** A string, number, boolean, null or undefined written literally. */
export interface LiteralValue {
  type: 'literal';
  value: string | number | boolean | null | undefined;
  range: TextRange;
}

/** One `name: value` of an object literal. */
export interface PropertyNode {
  name: string;
  nameRange: TextRange;
  value: Value;
  /** The whole property, name to value. */
  range: TextRange;
}

/** An object literal. `hasSpread` when it contains `...x` (then absent fields may be given). */
export interface ObjectValue {
  type: 'object';
  properties: PropertyNode[];
  hasSpread: boolean;
  range: TextRange;
}

/** An array literal without spreads. */
export interface ArrayValue {
  type: 'array';
  elements: Value[];
  range: TextRange;
}

/** A `new X(...)` of a Clockwork class used as a value (an assertion in `assertions: [...]`). */
export interface ConstructionValue {
  type: 'construction';
  construction: Construction;
  range: TextRange;
}

/** Anything that is not a literal: identifiers, calls, templates with substitutions, spreads. */
export interface UnknownValue {
  type: 'unknown';
  /** The identifier written, when the value is a plain identifier (used to follow variables). */
  identifier?: string;
  range: TextRange;
}

/** A node of the value tree. */
export type Value = LiteralValue | ObjectValue | ArrayValue | ConstructionValue | UnknownValue;

interface ConstructionBase {
  /** The class name as users know it, e.g. `FileResource`. */
  kind: string;
  /** The name written in the file (an import alias, or `cw.FileResource`). */
  localName: string;
  /** `new X(...)` from `new` to the closing parenthesis. */
  range: TextRange;
  /** The class name written after `new`. */
  classRange: TextRange;
  /** The first argument, or undefined for `new X()`. */
  args: Value | undefined;
  /** False when the class is used without being imported from "clockwork". */
  imported: boolean;
  /** The source text of the construction (a cache key for per-construction results). */
  text: string;
}

/** A resource construction. */
export interface ResourceNode extends ConstructionBase {
  category: 'resource';
  definition: ResourceDefinition;
  /** The literal `name`, when it is given as a literal. */
  name: string | undefined;
  /** The `assertions: [...]` array literal, when there is one. */
  assertionsArray: ArrayValue | undefined;
  /** The assertions attached to this resource, in order (inline or through a variable). */
  assertions: AssertionNode[];
  /** For each of `assertions`, its index in the `assertions` array. */
  assertionIndexes: number[];
}

/** An assertion construction. */
export interface AssertionNode extends ConstructionBase {
  category: 'assertion';
  definition: AssertionDefinition;
}

/** A resource or assertion construction. */
export type Construction = ResourceNode | AssertionNode;

/** How the file imports Clockwork. */
export interface ImportInfo {
  /** Local name → kind, for `import { FileResource as F } from "clockwork"`. */
  localToKind: Map<string, string>;
  /** Kind → local name. */
  kindToLocal: Map<string, string>;
  /** Names bound by `import * as cw from "clockwork"`. */
  namespaces: Set<string>;
  /** The named-import declaration from "clockwork", if there is one. */
  declaration: ts.ImportDeclaration | undefined;
  /** Where a new import line goes (after the last import, else at the start). */
  insertAt: number;
  /** The quote character the file uses for strings. */
  quote: '"' | "'";
}

/** A parsed clockwork.ts file. */
export interface ParsedDocument {
  uri: string;
  text: string;
  sourceFile: ts.SourceFile;
  resources: ResourceNode[];
  /** Every assertion construction in the file, attached or not. */
  assertions: AssertionNode[];
  imports: ImportInfo;
  /** The array literal exported by default (`export default [...]`), if any. */
  exportArray: ts.ArrayLiteralExpression | undefined;
  /** True when the parser reported syntax errors (what can still be read is read). */
  hasSyntaxErrors: boolean;
}

/**
 * A parse of only the declaration around `offset` (the outermost Clockwork construction
 * containing it): enough for completion, hover and quick fixes at that spot, at a fraction
 * of the cost of reading a large file whole.
 */
export function parseAround(uri: string, sourceFile: ts.SourceFile, offset: number): ParsedDocument {
  const imports = readImports(sourceFile);
  const declared = topLevelNames(sourceFile);
  const reader = new ConstructionReader(sourceFile, imports, declared);
  let current: ts.Node = sourceFile;
  for (;;) {
    if (ts.isNewExpression(current) && reader.resolveClass(current.expression)) {
      reader.visit(current);
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
    imports,
    exportArray: findExportArray(sourceFile),
    hasSyntaxErrors: hasParseErrors(sourceFile),
  };
}

function hasParseErrors(sourceFile: ts.SourceFile): boolean {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return (diagnostics?.length ?? 0) > 0;
}

/** What position conversions need: the text and its source file (for the line map). */
export type TextSource = Pick<ParsedDocument, 'sourceFile' | 'text'>;

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

function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): TextRange {
  return { start: node.getStart(sourceFile), end: node.end };
}

/** How the file imports Clockwork. */
export function readImports(sourceFile: ts.SourceFile): ImportInfo {
  const info: ImportInfo = {
    localToKind: new Map(),
    kindToLocal: new Map(),
    namespaces: new Set(),
    declaration: undefined,
    insertAt: 0,
    quote: '"',
  };
  let quoteFound = false;
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    info.insertAt = statement.end;
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!quoteFound) {
      info.quote = sourceFile.text[statement.moduleSpecifier.getStart(sourceFile)] === "'" ? "'" : '"';
      quoteFound = true;
    }
    if (statement.moduleSpecifier.text !== CLOCKWORK_MODULE) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings) continue;
    if (ts.isNamespaceImport(bindings)) {
      info.namespaces.add(bindings.name.text);
      continue;
    }
    if (statement.importClause?.isTypeOnly) continue;
    info.declaration ??= statement;
    for (const element of bindings.elements) {
      const kind = (element.propertyName ?? element.name).text;
      info.localToKind.set(element.name.text, kind);
      info.kindToLocal.set(kind, element.name.text);
    }
  }
  if (!quoteFound) info.quote = firstStringQuote(sourceFile) ?? '"';
  return info;
}

function firstStringQuote(sourceFile: ts.SourceFile): '"' | "'" | undefined {
  let quote: '"' | "'" | undefined;
  const visit = (node: ts.Node): void => {
    if (quote) return;
    if (ts.isStringLiteral(node)) {
      quote = sourceFile.text[node.getStart(sourceFile)] === "'" ? "'" : '"';
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return quote;
}

export function findExportArray(sourceFile: ts.SourceFile): ts.ArrayLiteralExpression | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isExportAssignment(statement) || statement.isExportEquals) continue;
    const expression = unwrap(statement.expression);
    if (ts.isArrayLiteralExpression(expression)) return expression;
    if (ts.isIdentifier(expression)) {
      const initializer = findVariableInitializer(sourceFile, expression.text);
      if (initializer && ts.isArrayLiteralExpression(unwrap(initializer))) return unwrap(initializer) as ts.ArrayLiteralExpression;
    }
  }
  return undefined;
}

function findVariableInitializer(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
    }
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies` and `!` around an expression. */
function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) {
      current = current.expression;
    } else if (ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** Names the file declares at its top level (a local class named like a Clockwork class shadows it). */
export function topLevelNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      }
    }
  }
  return names;
}

/** Reads constructions from a file or from one subtree of it. */
export class ConstructionReader {
  readonly resources: ResourceNode[] = [];
  readonly assertions: AssertionNode[] = [];
  private readonly byNode = new Map<ts.NewExpression, Construction>();
  /** Variable name → the construction it is initialised with. */
  private readonly variables = new Map<string, Construction>();

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly imports: ImportInfo,
    private readonly declaredNames: ReadonlySet<string>,
  ) {}

  visit(node: ts.Node): void {
    if (ts.isNewExpression(node)) {
      const construction = this.construction(node);
      if (construction) {
        if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
          this.variables.set(node.parent.name.text, construction);
        }
      }
    }
    ts.forEachChild(node, (child) => this.visit(child));
  }

  /** Links each resource to the assertions of its `assertions` array. */
  attachAssertions(): void {
    for (const resource of this.resources) {
      const array = resource.assertionsArray;
      if (!array) continue;
      array.elements.forEach((element, index) => {
        let assertion: Construction | undefined;
        if (element.type === 'construction') assertion = element.construction;
        else if (element.type === 'unknown' && element.identifier) assertion = this.variables.get(element.identifier);
        if (assertion?.category !== 'assertion') return;
        resource.assertions.push(assertion);
        resource.assertionIndexes.push(index);
      });
    }
  }

  /** The Clockwork class a `new` expression constructs, if any. */
  resolveClass(expression: ts.Expression): { kind: string; localName: string; imported: boolean } | undefined {
    if (ts.isIdentifier(expression)) {
      const local = expression.text;
      const kind = this.imports.localToKind.get(local);
      if (kind) return { kind, localName: local, imported: true };
      if (this.declaredNames.has(local)) return undefined;
      if (resourceDefinition(local) || assertionDefinition(local)) return { kind: local, localName: local, imported: false };
      return undefined;
    }
    if (
      ts.isPropertyAccessExpression(expression) &&
      ts.isIdentifier(expression.expression) &&
      this.imports.namespaces.has(expression.expression.text)
    ) {
      return {
        kind: expression.name.text,
        localName: `${expression.expression.text}.${expression.name.text}`,
        imported: true,
      };
    }
    return undefined;
  }

  private construction(node: ts.NewExpression): Construction | undefined {
    const existing = this.byNode.get(node);
    if (existing) return existing;
    const resolved = this.resolveClass(node.expression);
    if (!resolved) return undefined;
    const argument = node.arguments?.[0];
    const base = {
      kind: resolved.kind,
      localName: resolved.localName,
      imported: resolved.imported,
      range: rangeOf(node, this.sourceFile),
      classRange: rangeOf(node.expression, this.sourceFile),
      args: undefined as Value | undefined,
      text: '',
    };
    base.text = this.sourceFile.text.slice(base.range.start, base.range.end);
    const resource = resourceDefinition(resolved.kind);
    const assertion = resource ? undefined : assertionDefinition(resolved.kind);
    let construction: Construction;
    if (resource) {
      construction = { ...base, category: 'resource', definition: resource, name: undefined, assertionsArray: undefined, assertions: [], assertionIndexes: [] };
      this.resources.push(construction);
    } else if (assertion) {
      construction = { ...base, category: 'assertion', definition: assertion };
      this.assertions.push(construction);
    } else {
      return undefined;
    }
    this.byNode.set(node, construction);
    construction.args = argument ? this.value(argument) : undefined;
    if (construction.category === 'resource' && construction.args?.type === 'object') {
      for (const property of construction.args.properties) {
        if (property.name === 'name' && property.value.type === 'literal' && typeof property.value.value === 'string') {
          construction.name = property.value.value;
        }
        if (property.name === 'assertions' && property.value.type === 'array') construction.assertionsArray = property.value;
      }
    }
    return construction;
  }

  private value(expression: ts.Expression): Value {
    const node = unwrap(expression);
    const range = rangeOf(node, this.sourceFile);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { type: 'literal', value: node.text, range };
    if (ts.isNumericLiteral(node)) return { type: 'literal', value: Number(node.text), range };
    if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
      if (node.operator === ts.SyntaxKind.MinusToken) return { type: 'literal', value: -Number(node.operand.text), range };
      if (node.operator === ts.SyntaxKind.PlusToken) return { type: 'literal', value: Number(node.operand.text), range };
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) return { type: 'literal', value: true, range };
    if (node.kind === ts.SyntaxKind.FalseKeyword) return { type: 'literal', value: false, range };
    if (node.kind === ts.SyntaxKind.NullKeyword) return { type: 'literal', value: null, range };
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return { type: 'literal', value: undefined, range };
      return { type: 'unknown', identifier: node.text, range };
    }
    if (ts.isObjectLiteralExpression(node)) return this.objectValue(node, range);
    if (ts.isArrayLiteralExpression(node)) {
      if (node.elements.some((element) => ts.isSpreadElement(element) || ts.isOmittedExpression(element))) {
        return { type: 'unknown', range };
      }
      return { type: 'array', elements: node.elements.map((element) => this.value(element)), range };
    }
    if (ts.isNewExpression(node)) {
      const construction = this.construction(node);
      if (construction) return { type: 'construction', construction, range };
    }
    return { type: 'unknown', range };
  }

  private objectValue(node: ts.ObjectLiteralExpression, range: TextRange): ObjectValue {
    const object: ObjectValue = { type: 'object', properties: [], hasSpread: false, range };
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        object.hasSpread = true;
        continue;
      }
      const name = property.name && propertyName(property.name);
      if (name === undefined || !property.name) {
        object.hasSpread = true; // a computed name could be any field
        continue;
      }
      const nameRange = rangeOf(property.name, this.sourceFile);
      const whole = rangeOf(property, this.sourceFile);
      if (ts.isPropertyAssignment(property)) {
        object.properties.push({ name, nameRange, value: this.value(property.initializer), range: whole });
      } else {
        // Shorthand `{ path }`, methods and accessors: a value that is not a literal.
        object.properties.push({ name, nameRange, value: { type: 'unknown', range: whole }, range: whole });
      }
    }
    return object;
  }
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** The property of an object value with this name (the last one when repeated, as in JavaScript). */
export function propertyOf(object: ObjectValue, name: string): PropertyNode | undefined {
  for (let index = object.properties.length - 1; index >= 0; index--) {
    if (object.properties[index]?.name === name) return object.properties[index];
  }
  return undefined;
}

/** True when `offset` lies within `range` (ends included, as a cursor may sit at either end). */
export function contains(range: TextRange, offset: number): boolean {
  return offset >= range.start && offset <= range.end;
}

/** The innermost construction whose source range contains `offset`. */
export function constructionAt(doc: ParsedDocument, offset: number): Construction | undefined {
  let best: Construction | undefined;
  for (const construction of [...doc.resources, ...doc.assertions]) {
    if (offset > construction.range.start && offset < construction.range.end) {
      if (!best || construction.range.start >= best.range.start) best = construction;
    }
  }
  return best;
}
