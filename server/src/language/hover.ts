/** Hover on a class name (its summary and example) or a field name (description, type, default, example). */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { COMMON_RESOURCE_FIELDS } from '../model/define.js';
import { type Construction, contains, type ParsedDocument } from './parsedDocument.js';
import { offsetAt, toRange } from './textPositions.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './featureOptions.js';
import { conceptInfo, conceptMarkdown, fieldMarkdown } from './schemaInfo.js';

/**
 * The hover at `position`, or null when there is nothing Clockwork knows about there. Beside
 * a TypeScript server that sees the declarations (which shows each class's summary and
 * example, and each field's type, description and default), only what it does not show: a
 * class's list of fields, and a field's example.
 */
export function hover(doc: ParsedDocument, position: Position, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): Hover | null {
  const offset = offsetAt(doc, position);
  const constructions: Construction[] = [...doc.resources, ...doc.assertions, ...doc.hosts];
  for (const construction of constructions) {
    if (!contains(construction.range, offset)) continue;
    const info = conceptInfo(construction.definition);
    if (contains(construction.classRange, offset)) {
      const markdown = conceptMarkdown(info, { resource: construction.category === 'resource', fieldsOnly: options.typescript });
      return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: toRange(doc, construction.classRange) };
    }
    if (construction.args?.type !== 'object') continue;
    for (const property of construction.args.properties) {
      if (!contains(property.nameRange, offset)) continue;
      const field = info.field(property.name);
      if (field && options.typescript) {
        if (field.exampleText === undefined) return null;
        return { contents: { kind: MarkupKind.Markdown, value: `Example: \`${field.name}: ${field.exampleText}\`` }, range: toRange(doc, property.nameRange) };
      }
      if (field) {
        return { contents: { kind: MarkupKind.Markdown, value: fieldMarkdown(info, field) }, range: toRange(doc, property.nameRange) };
      }
      const common = construction.category === 'resource' && Object.hasOwn(COMMON_RESOURCE_FIELDS, property.name) ? COMMON_RESOURCE_FIELDS[property.name as keyof typeof COMMON_RESOURCE_FIELDS] : undefined;
      // Beside a TypeScript server, the declarations already say what these fields are.
      if (common && !options.typescript) {
        return {
          contents: { kind: MarkupKind.Markdown, value: `**${property.name}**?: \`${common.typeText}\` — ${construction.kind}\n\n${common.description}` },
          range: toRange(doc, property.nameRange),
        };
      }
    }
  }
  return null;
}
