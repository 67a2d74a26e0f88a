/**
 * Snippets for new declarations: the fields a minimal valid declaration needs, as tab
 * stops, with defaults taken from the resource they are written in (its published port,
 * its own path or container name), else from the definition's example, else from the type.
 */
import * as path from 'node:path';
import { firstHostPort } from './crossChecks.js';
import { localNameFor } from './imports.js';
import type { ParsedDocument, ResourceNode } from './parsedDocument.js';
import { conceptInfo, type ConceptDefinition, type FieldInfo } from './schemaInfo.js';
import { plainValue } from './specValue.js';

/** Stand-in for the project folder when working out a resource's path relative to it. */
const PROJECT_DIR = path.resolve('/clockwork-project');

/** Escapes text for a snippet (outside placeholders and inside them). */
function escape(text: string): string {
  return text.replace(/[$}\\]/g, (char) => `\\${char}`);
}

/** What the resource around a new assertion tells about sensible field values. */
export interface ResourceFacts {
  hostPort: number | undefined;
  /** For a resource whose identity is a path (file, directory, link, checkout): it, relative to the project (or absolute). */
  filePath: string | undefined;
  /** For a resource whose identity is a container: its name. */
  containerName: string | undefined;
}

/** Facts about a resource, from its literal fields. */
export function resourceFacts(resource: ResourceNode | undefined): ResourceFacts {
  const facts: ResourceFacts = { hostPort: undefined, filePath: undefined, containerName: undefined };
  if (!resource) return facts;
  facts.hostPort = firstHostPort(resource);
  if (resource.args?.type === 'object' && resource.name !== undefined) {
    try {
      const identity = resource.definition.identity(plainValue(resource.args) as never, { projectDir: PROJECT_DIR });
      if (identity.type === 'file' || identity.type === 'directory' || identity.type === 'link' || identity.type === 'repository') {
        const relative = path.relative(PROJECT_DIR, identity.id);
        facts.filePath = relative.startsWith('..') || path.isAbsolute(relative) ? identity.id : relative;
      } else if (identity.type === 'container') {
        facts.containerName = identity.id;
      }
    } catch {
      // Not enough literal fields to say.
    }
  }
  return facts;
}

function unquote(text: string): string | undefined {
  const match = /^(["'`])(.*)\1$/s.exec(text);
  return match ? match[2] : undefined;
}

/** The snippet text of one field's value, with tab stop `stop`. */
export function valueSnippet(field: FieldInfo, stop: number, facts: ResourceFacts, quote: string): string {
  const str = (inner: string): string => `${quote}${inner}${quote}`;
  if (field.jsonType === 'string' || field.jsonType === undefined) {
    const exampleString = field.exampleText !== undefined ? unquote(field.exampleText) : undefined;
    if (field.name === 'url' && exampleString && /^https?:\/\//.test(exampleString)) {
      const examplePort = /^https?:\/\/[^/:]+:(\d+)/.exec(exampleString)?.[1];
      return str(`http://localhost:\${${stop}:${facts.hostPort ?? examplePort ?? 8080}}`);
    }
    const fromResource = field.name === 'path' ? facts.filePath : field.name === 'containerName' ? facts.containerName : undefined;
    const enumFirst = typeof field.enumValues?.[0] === 'string' ? field.enumValues[0] : undefined;
    const text = fromResource ?? exampleString ?? (typeof field.defaultValue === 'string' ? field.defaultValue : enumFirst);
    if (field.jsonType === 'string' || text !== undefined) return str(`\${${stop}${text ? `:${escape(text)}` : ''}}`);
  }
  if (field.jsonType === 'number' || field.jsonType === 'integer') {
    const fromResource = field.name === 'port' ? facts.hostPort : undefined;
    const text = fromResource ?? field.exampleText ?? field.defaultValue ?? 0;
    return `\${${stop}:${escape(String(text))}}`;
  }
  if (field.jsonType === 'boolean') return `\${${stop}:${String(field.defaultValue ?? true)}}`;
  if (field.jsonType === 'array') return field.exampleText ? `\${${stop}:${escape(field.exampleText)}}` : `[\${${stop}}]`;
  if (field.jsonType === 'object') return field.exampleText ? `\${${stop}:${escape(field.exampleText)}}` : `{\${${stop}}}`;
  return `\${${stop}}`;
}

/** A plain (non-snippet) value text for a field: for quick fixes. */
export function valueText(field: FieldInfo, facts: ResourceFacts, quote: string): string {
  return snippetToPlain(valueSnippet(field, 1, facts, quote));
}

/**
 * The text a snippet inserts when its placeholders keep their defaults: `${1:8080}` → `8080`,
 * `${1}` and `$1` → nothing, escapes undone. For clients without snippet support.
 */
export function snippetToPlain(snippet: string): string {
  return snippet.replace(/\\([$}\\])|\$\{\d+:?((?:[^}\\]|\\.)*)\}|\$\d+/g, (_match, escaped: string | undefined, placeholder: string | undefined) =>
    escaped ?? (placeholder ?? '').replace(/\\([$}\\])/g, '$1'),
  );
}

/** `new Kind({ field: value, … })` as a snippet, for a new declaration inside `resource` (if any). */
export function constructionSnippet(
  doc: ParsedDocument,
  definition: ConceptDefinition,
  resource: ResourceNode | undefined,
  extraFields: readonly string[] = [],
  facts: ResourceFacts = resourceFacts(resource),
): string {
  const info = conceptInfo(definition);
  const names = [...info.snippetFields, ...extraFields.filter((name) => !info.snippetFields.includes(name))];
  const parts = names.flatMap((name, index) => {
    const field = info.field(name);
    return field ? [`${name}: ${valueSnippet(field, index + 1, facts, doc.imports.quote)}`] : [];
  });
  const local = escape(localNameFor(doc, definition.kind));
  return parts.length > 0 ? `new ${local}({ ${parts.join(', ')} })` : `new ${local}({$1})`;
}
