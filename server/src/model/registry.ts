/**
 * Lookup tables derived from the registry in concepts.ts. Nothing here lists a concept by
 * name: the lists are computed from what concepts.ts exports.
 */
import * as concepts from './concepts.js';
import type { AssertionDefinition, ConceptSchema, ResourceDefinition } from './define.js';
import type { HostDefinition } from './host.js';

type AnyDefinition = ResourceDefinition | AssertionDefinition | HostDefinition;
type AnyClass = { definition?: AnyDefinition };

const definitions = (Object.values(concepts) as AnyClass[]).map((c) => c.definition).filter((d): d is AnyDefinition => d !== undefined);

function isResourceDefinition(definition: AnyDefinition): definition is ResourceDefinition {
  return 'identity' in definition;
}

function isHostDefinition(definition: AnyDefinition): definition is HostDefinition {
  return 'inventoryData' in definition;
}

/** Every resource definition, in registry order. */
export const resourceDefinitions: readonly ResourceDefinition[] = definitions.filter(isResourceDefinition);

/** Every host definition, in registry order. */
export const hostDefinitions: readonly HostDefinition[] = definitions.filter(isHostDefinition);

/** Every assertion definition, in registry order. */
export const assertionDefinitions: readonly AssertionDefinition[] = definitions.filter(
  (d): d is AssertionDefinition => !isResourceDefinition(d) && !isHostDefinition(d),
);

const resourcesByKind = new Map(resourceDefinitions.map((d) => [d.kind, d]));
const assertionsByKind = new Map(assertionDefinitions.map((d) => [d.kind, d]));
const hostsByKind = new Map(hostDefinitions.map((d) => [d.kind, d]));

/** The resource definition for a class name, if there is one. */
export function resourceDefinition(kind: string): ResourceDefinition | undefined {
  return resourcesByKind.get(kind);
}

/** The assertion definition for a class name, if there is one. */
export function assertionDefinition(kind: string): AssertionDefinition | undefined {
  return assertionsByKind.get(kind);
}

/** The host definition for a class name, if there is one. */
export function hostDefinition(kind: string): HostDefinition | undefined {
  return hostsByKind.get(kind);
}

/** Every class name users can import from "clockwork". */
export const conceptKinds: readonly string[] = [...resourcesByKind.keys(), ...assertionsByKind.keys(), ...hostsByKind.keys()];

export type { AssertionDefinition, ConceptSchema, HostDefinition, ResourceDefinition };
