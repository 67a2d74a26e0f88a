/** The document model the client's Testing panel is built from (static parse only). */
import type { DocumentModel } from '../protocol.js';
import type { ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';
import { assertionLabel } from './symbols.js';

/** Resources and assertions with their ranges, for `clockwork/documentModel`. */
export function documentModel(doc: ParsedDocument, version: number): DocumentModel {
  return {
    uri: doc.uri,
    version,
    resources: doc.resources.map((resource) => ({
      name: resource.name,
      kind: resource.kind,
      range: toRange(doc, resource.range),
      selectionRange: toRange(doc, resource.classRange),
      assertions: resource.assertions.map((assertion, position) => ({
        kind: assertion.kind,
        index: resource.assertionIndexes[position] ?? position,
        label: assertionLabel(assertion),
        range: toRange(doc, assertion.range),
      })),
      ...(resource.targets.some((host) => host.name !== undefined) ? { hosts: resource.targets.flatMap((host) => (host.name !== undefined ? [host.name] : [])) } : {}),
    })),
  };
}
