/**
 * What a parsed clockwork.ts is: the value tree of each resource and assertion construction
 * (every property and element keeps its source range), how the file imports Clockwork, and
 * small queries over them. Produced by `parse.ts`; read by every language feature.
 */
import type ts from 'typescript';
import type { AssertionDefinition, HostDefinition, ResourceDefinition } from '../model/registry.js';

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
  /** The `targets: [...]` array literal, when there is one. */
  targetsArray: ArrayValue | undefined;
  /** The hosts of `targets` that are known (inline, or through a variable), in order. */
  targets: HostNode[];
  /** For each of `targets`, its index in the `targets` array. */
  targetIndexes: number[];
}

/** A host construction (e.g. `new SshHost({...})`), usually assigned to a variable. */
export interface HostNode extends ConstructionBase {
  category: 'host';
  definition: HostDefinition;
  /** The literal `name`, when it is given as a literal. */
  name: string | undefined;
}

/** An assertion construction. */
export interface AssertionNode extends ConstructionBase {
  category: 'assertion';
  definition: AssertionDefinition;
}

/** A resource, assertion or host construction. */
export type Construction = ResourceNode | AssertionNode | HostNode;

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
  /** Every host construction in the file. */
  hosts: HostNode[];
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

/** What position conversions need: the text and its source file (for the line map). */
export type TextSource = Pick<ParsedDocument, 'sourceFile' | 'text'>;

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
  for (const construction of [...doc.resources, ...doc.assertions, ...doc.hosts]) {
    if (offset > construction.range.start && offset < construction.range.end) {
      if (!best || construction.range.start >= best.range.start) best = construction;
    }
  }
  return best;
}
