/**
 * Lookup tables derived from the registry in concepts.ts. Nothing here lists a concept by
 * name: the lists are computed from what concepts.ts exports.
 */
import * as concepts from './concepts.js';
import type { AssertionDefinition, ConceptSchema, ResourceDefinition } from './define.js';

type AnyClass = { definition?: ResourceDefinition | AssertionDefinition };

const classes = Object.values(concepts) as AnyClass[];

function isResourceDefinition(definition: ResourceDefinition | AssertionDefinition): definition is ResourceDefinition {
  return 'identity' in definition;
}

/** Every resource definition, in registry order. */
export const resourceDefinitions: readonly ResourceDefinition[] = classes
  .map((c) => c.definition)
  .filter((d): d is ResourceDefinition => d !== undefined && isResourceDefinition(d));

/** Every assertion definition, in registry order. */
export const assertionDefinitions: readonly AssertionDefinition[] = classes
  .map((c) => c.definition)
  .filter((d): d is AssertionDefinition => d !== undefined && !isResourceDefinition(d));

const resourcesByKind = new Map(resourceDefinitions.map((d) => [d.kind, d]));
const assertionsByKind = new Map(assertionDefinitions.map((d) => [d.kind, d]));

/** The resource definition for a class name, if there is one. */
export function resourceDefinition(kind: string): ResourceDefinition | undefined {
  return resourcesByKind.get(kind);
}

/** The assertion definition for a class name, if there is one. */
export function assertionDefinition(kind: string): AssertionDefinition | undefined {
  return assertionsByKind.get(kind);
}

/** Every class name users can import from "clockwork". */
export const conceptKinds: readonly string[] = [...resourcesByKind.keys(), ...assertionsByKind.keys()];

export type { AssertionDefinition, ConceptSchema, ResourceDefinition };
