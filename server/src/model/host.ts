/**
 * `defineHost` turns a zod schema plus its documentation into the class a user instantiates for
 * a machine to deploy to (e.g. `SshHost`). A host is neither a resource nor an assertion: it is
 * where resources go (a resource's `targets`), and what it contributes is its PyInfra inventory
 * entry, as data. Types, validation, editor features and the inventory derive from one schema.
 */
import type { z } from 'zod';
import { reportInvalid, validateSpec, type ConceptDocs, type ConceptSchema, type ProjectContext } from './define.js';
import { ClockworkValidationError } from './errors.js';
import { captureCallerLocation, type SourceLocation } from './location.js';
import type { PlainValue } from './operations.js';

import { HOST_BRAND } from './targets.js';

export { checkTargets, isHost, LOCAL_HOST, TARGETS_DESCRIPTION } from './targets.js';

/** What a host definition may need beyond its spec. */
export interface HostContext extends ProjectContext {
  /** The user's home folder (a leading "~" in a path). */
  homeDir: string;
}

/** The definition of one kind of host. */
export interface HostDefinition<S extends ConceptSchema = ConceptSchema> extends ConceptDocs {
  schema: S;
  /** The host's name (unique in a project): PyInfra's inventory name. */
  hostName(spec: z.output<S>): string;
  /** Its PyInfra host data: connection settings as paths and values, never a key's contents. */
  inventoryData(spec: z.output<S>, context: HostContext): Record<string, PlainValue>;
  /** Where it is, for people: e.g. `deploy@203.0.113.10:2222`. */
  label(spec: z.output<S>): string;
}

/** The plain-data form of a host: what crosses process boundaries. */
export interface HostData {
  kind: string;
  spec: Record<string, unknown> & { name: string };
  location?: SourceLocation;
}

/** A host object as constructed in clockwork.ts. */
export interface HostInstance<S extends ConceptSchema = ConceptSchema> {
  readonly kind: string;
  readonly spec: z.output<S>;
  readonly location: SourceLocation | undefined;
  toJSON(): HostData;
}

/** Constructor type of a host class, with its definition attached. */
export interface HostClass<S extends ConceptSchema> {
  new (spec: z.input<S>): HostInstance<S>;
  readonly definition: HostDefinition<S>;
}

/** Builds the class users instantiate for a host definition. */
export function defineHost<S extends ConceptSchema>(definition: HostDefinition<S>): HostClass<S> {
  class Host implements HostInstance<S> {
    static readonly definition = definition;
    readonly [HOST_BRAND] = true;
    readonly kind = definition.kind;
    readonly spec: z.output<S>;
    readonly location: SourceLocation | undefined;

    constructor(input: z.input<S>) {
      this.location = captureCallerLocation();
      const result = validateSpec(definition.schema, input);
      this.spec = (result.ok ? result.spec : input) as z.output<S>;
      if (!result.ok) {
        const name = typeof (input as { name?: unknown } | null)?.name === 'string' ? (input as { name: string }).name : undefined;
        reportInvalid(new ClockworkValidationError(definition.kind, name, result.issues, this.location));
      }
    }

    toJSON(): HostData {
      return { kind: this.kind, spec: this.spec as HostData['spec'], ...(this.location ? { location: this.location } : {}) };
    }
  }
  Object.defineProperty(Host, 'name', { value: definition.kind });
  return Host;
}

