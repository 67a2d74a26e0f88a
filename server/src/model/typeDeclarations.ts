/**
 * The type declarations `clockwork init` and "Clockwork: Init Project" write into a project (`types/clockwork.d.ts`),
 * so the editor resolves `import … from 'clockwork'` without Clockwork installed in the
 * project. Derived from the model: each class's constructor takes its schema's input type
 * (from `z.toJSONSchema`), with the schema's descriptions as documentation.
 */
import { z } from 'zod';
import type { ConceptSchema, ResourceDefinition } from './define.js';
import { TARGETS_DESCRIPTION } from './host.js';
import { assertionDefinitions, hostDefinitions, resourceDefinitions } from './registry.js';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function docComment(text: string | undefined, indent: string, extra?: string): string {
  const lines = [...(text ? text.split('\n') : []), ...(extra ? extra.split('\n') : [])].map((line) => line.replace(/\*\//g, '*\\/'));
  if (lines.length === 0) return '';
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`).join('\n')}\n${indent} */\n`;
}

/** A TypeScript type for a JSON schema (the subset zod emits for Clockwork's schemas). */
function typeOf(schema: JsonSchema, indent: string): string {
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map((member) => typeOf(member, indent)))].join(' | ');
  if (schema.allOf) return schema.allOf.map((member) => typeOf(member, indent)).join(' & ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return types.map((type) => typeOf({ ...schema, type }, indent)).join(' | ');
  switch (types[0]) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return schema.items ? `Array<${typeOf(schema.items, indent)}>` : 'unknown[]';
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

function objectType(schema: JsonSchema, indent: string, extraMembers: string[] = []): string {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    const fallback = property.default !== undefined ? `Default: ${JSON.stringify(property.default)}` : undefined;
    return `${docComment(property.description, inner, fallback)}${inner}${key}${required.has(name) ? '' : '?'}: ${typeOf(property, inner)};`;
  });
  const additional = schema.additionalProperties;
  if (additional && typeof additional === 'object') members.push(`${inner}[key: string]: ${typeOf(additional, inner)};`);
  members.push(...extraMembers.map((member) => `${inner}${member}`));
  return members.length === 0 ? '{}' : `{\n${members.join('\n')}\n${indent}}`;
}

function specType(schema: ConceptSchema, extraMembers: string[] = []): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return objectType(json, '  ', extraMembers);
}

function classDeclaration(
  definition: Pick<ResourceDefinition, 'kind' | 'summary' | 'example' | 'schema'>,
  base: string,
  extraMembers: string[],
  classMembers: string[] = [],
): string {
  const specName = `${definition.kind}Spec`;
  return (
    `  /** The fields of ${definition.kind}. */\n` +
    `  export interface ${specName} ${specType(definition.schema, extraMembers)}\n` +
    docComment(definition.summary, '  ', `@example ${definition.example}`) +
    `  export class ${definition.kind} implements ${base} {\n` +
    `    constructor(spec: ${specName});\n` +
    `    readonly kind: string;\n` +
    classMembers.map((member) => `    ${member}\n`).join('') +
    `  }\n`
  );
}

/** The fields every resource takes besides its own, and what its object holds (`dependsOn.push`). */
const RESOURCE_MEMBERS = [
  '/** Checks that prove the resource works (Clockwork: Assert). */',
  'assertions?: AssertionInstance[];',
  '/** The resources it needs first: apply deploys them before it, destroy removes it before them. */',
  'dependsOn?: ResourceInstance[];',
  `/** ${TARGETS_DESCRIPTION} */`,
  'targets?: HostInstance[];',
];
const RESOURCE_CLASS_MEMBERS = ['/** The resources it needs first; `push` adds one declared further down. */', 'readonly dependsOn: ResourceInstance[];'];

/** The text of `types/clockwork.d.ts`. */
export function typeDeclarations(): string {
  const parts = [
    '// Type declarations for `import … from "clockwork"` in clockwork.ts, written by `clockwork init` and "Clockwork: Init Project".',
    '// Generated from Clockwork\'s schemas; regenerate with the same command after upgrading Clockwork.',
    "declare module 'clockwork' {",
    '  /** An assertion: a check Clockwork runs after deploying (Clockwork: Assert). */',
    '  export interface AssertionInstance { readonly kind: string }',
    '  /** A resource: something Clockwork deploys with PyInfra. */',
    '  export interface ResourceInstance { readonly kind: string }',
    '  /** A host: a machine resources go to (a resource\'s targets). */',
    '  export interface HostInstance { readonly kind: string }',
    ...resourceDefinitions.map((definition) => classDeclaration(definition, 'ResourceInstance', RESOURCE_MEMBERS, RESOURCE_CLASS_MEMBERS)),
    ...hostDefinitions.map((definition) => classDeclaration(definition, 'HostInstance', [])),
    ...assertionDefinitions.map((definition) => classDeclaration(definition, 'AssertionInstance', [])),
    '}',
    '',
  ];
  return parts.join('\n');
}
