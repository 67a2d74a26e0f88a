/**
 * What the editor features know about each field, derived from the same zod schemas the
 * runtime validates with (through `z.toJSONSchema`) and from each definition's example.
 * Nothing here names a concept or a field of one.
 */
import { z } from 'zod';
import type { ConceptDocs } from '../model/define.js';
import type { ConceptSchema } from '../model/registry.js';
import { parseText } from './parse.js';
import type { Value } from './parsedDocument.js';

/** A JSON schema fragment, as far as the editor reads it. */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

/** One field of a resource or assertion. */
export interface FieldInfo {
  name: string;
  /** TypeScript-like type text, e.g. `string`, `"small" | "medium" | "large"`, `string[]`. */
  typeText: string;
  /** The JSON type: string, number, integer, boolean, array, object, or undefined when mixed. */
  jsonType: string | undefined;
  /** Allowed values, for enums. */
  enumValues: readonly (string | number | boolean)[] | undefined;
  /** True when the field must be given (no default, not optional). */
  required: boolean;
  /** The default value, when the schema has one. */
  defaultValue: unknown;
  description: string | undefined;
  /** The value the definition's example gives this field, as written there. */
  exampleText: string | undefined;
}

/** Fields and documentation of one concept. */
export interface ConceptInfo {
  kind: string;
  summary: string;
  example: string;
  fields: FieldInfo[];
  field(name: string): FieldInfo | undefined;
  /** Fields a minimal valid declaration gives: the required ones, plus example fields a refinement needs. */
  snippetFields: string[];
}

const cache = new Map<string, ConceptInfo>();

/** What the editor reads of any concept's definition (resource, assertion or host). */
export type ConceptDefinition = ConceptDocs & { schema: ConceptSchema };

/** The editor's view of a resource or assertion definition (computed once). */
export function conceptInfo(definition: ConceptDefinition): ConceptInfo {
  const cached = cache.get(definition.kind);
  if (cached) return cached;
  const info = computeInfo(definition);
  cache.set(definition.kind, info);
  return info;
}

function computeInfo(definition: ConceptDefinition): ConceptInfo {
  const json = z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const example = exampleValues(definition.example);
  const fields: FieldInfo[] = Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    typeText: typeText(schema),
    jsonType: jsonType(schema),
    enumValues: schema.enum as FieldInfo['enumValues'],
    required: required.has(name),
    defaultValue: schema.default,
    description: schema.description,
    exampleText: example.texts.get(name),
  }));
  const byName = new Map(fields.map((field) => [field.name, field]));
  return {
    kind: definition.kind,
    summary: definition.summary,
    example: definition.example,
    fields,
    field: (name) => byName.get(name),
    snippetFields: snippetFields(definition.schema, fields, example),
  };
}

interface ExampleValues {
  /** Field → source text of its value in the example. */
  texts: Map<string, string>;
  /** Field → literal value in the example (for literal values only). */
  values: Map<string, unknown>;
  order: string[];
}

function exampleValues(example: string): ExampleValues {
  const result: ExampleValues = { texts: new Map(), values: new Map(), order: [] };
  const doc = parseText('example.ts', example);
  const first = [...doc.resources, ...doc.assertions].sort((a, b) => a.range.start - b.range.start)[0];
  if (first?.args?.type !== 'object') return result;
  for (const property of first.args.properties) {
    result.texts.set(property.name, example.slice(property.value.range.start, property.value.range.end));
    const literal = toPlain(property.value);
    if (literal.known) result.values.set(property.name, literal.value);
    result.order.push(property.name);
  }
  return result;
}

function toPlain(value: Value): { known: boolean; value: unknown } {
  if (value.type === 'literal') return { known: true, value: value.value };
  if (value.type === 'array') {
    const items = value.elements.map(toPlain);
    return { known: items.every((item) => item.known), value: items.map((item) => item.value) };
  }
  if (value.type === 'object' && !value.hasSpread) {
    const entries = value.properties.map((property) => [property.name, toPlain(property.value)] as const);
    return { known: entries.every(([, item]) => item.known), value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])) };
  }
  return { known: false, value: undefined };
}

/**
 * The required fields, plus, when those alone do not validate (a refinement such as "give
 * at least one of mode, owner, group"), the example's fields in order until they do.
 */
function snippetFields(schema: ConceptSchema, fields: FieldInfo[], example: ExampleValues): string[] {
  const chosen = fields.filter((field) => field.required).map((field) => field.name);
  const specOf = (names: string[]): Record<string, unknown> =>
    Object.fromEntries(names.map((name) => [name, example.values.get(name)]));
  if (schema.safeParse(specOf(chosen)).success) return chosen;
  for (const name of example.order) {
    if (chosen.includes(name) || !example.values.has(name)) continue;
    chosen.push(name);
    if (schema.safeParse(specOf(chosen)).success) break;
  }
  return chosen;
}

function jsonType(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (schema.enum && schema.enum.every((value) => typeof value === 'string')) return 'string';
  return undefined;
}

function typeText(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(typeText).join(' | ');
  switch (schema.type) {
    case 'integer':
      return 'number';
    case 'array':
      return `${schema.items ? wrapUnion(typeText(schema.items)) : 'unknown'}[]`;
    case 'object':
      if (schema.properties) return 'object';
      if (typeof schema.additionalProperties === 'object') return `Record<string, ${typeText(schema.additionalProperties)}>`;
      return 'object';
    case undefined:
      return 'unknown';
    default:
      return Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  }
}

function wrapUnion(text: string): string {
  return text.includes('|') ? `(${text})` : text;
}

/** A Markdown description of a field: description, type, default, example. */
export function fieldMarkdown(concept: ConceptInfo, field: FieldInfo): string {
  const lines = [`**${field.name}**${field.required ? '' : '?'}: \`${field.typeText}\` — ${concept.kind}`, ''];
  if (field.description) lines.push(field.description, '');
  if (field.defaultValue !== undefined) lines.push(`Default: \`${JSON.stringify(field.defaultValue)}\``);
  if (field.required) lines.push('Required.');
  if (field.exampleText !== undefined) lines.push(`Example: \`${field.name}: ${field.exampleText}\``);
  return lines.join('\n').trimEnd();
}

/** One line per field: name, type, whether it is required or its default (the class hover's list). */
export function fieldsMarkdown(concept: ConceptInfo, resource: boolean): string {
  const lines = concept.fields.map((field) => {
    const status = field.required ? ' — required' : field.defaultValue !== undefined ? ` — default \`${JSON.stringify(field.defaultValue)}\`` : '';
    return `- \`${field.name}${field.required ? '' : '?'}\`: \`${field.typeText}\`${status}`;
  });
  if (resource) lines.push('- `assertions?`: `assertion[]` — the checks that prove it works', '- `targets?`: `host[]` — the hosts it goes to (this machine without it)');
  return ['Fields:', ...lines].join('\n');
}

/**
 * A Markdown description of a concept: summary, every field (type, required or default) and
 * an example. With `fieldsOnly`, just the fields: for an editor whose TypeScript server
 * already shows the summary and example from the type declarations.
 */
export function conceptMarkdown(concept: ConceptInfo, options: { resource: boolean; fieldsOnly?: boolean }): string {
  const key = `${concept.kind}|${options.resource}|${options.fieldsOnly === true}`;
  let markdown = markdownCache.get(key);
  if (markdown === undefined) {
    const fields = fieldsMarkdown(concept, options.resource);
    markdown = options.fieldsOnly
      ? `**${concept.kind}**\n\n${fields}`
      : [`**${concept.kind}**`, '', concept.summary, '', fields, '', 'Example:', '```typescript', concept.example, '```'].join('\n');
    markdownCache.set(key, markdown);
  }
  return markdown;
}

/** Each concept's Markdown is built once (completion sends fifteen of them per request). */
const markdownCache = new Map<string, string>();
