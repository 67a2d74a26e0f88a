/**
 * `defineHost` turns a zod schema plus its documentation into the class a user instantiates for
 * a machine to deploy to (e.g. `SshHost`). A host is neither a resource nor an assertion: it is
 * where resources go (a resource's `targets`), and what it contributes is its PyInfra inventory
 * entry, as data. Types, validation, editor features and the inventory derive from one schema.
 */
import type { z } from 'zod';
import { reportInvalid, validateSpec, type ConceptDocs, type ConceptSchema, type ProjectContext } from './define.js';
import { ClockworkValidationError, describeValue, type FieldIssue } from './errors.js';
import { captureCallerLocation, type SourceLocation } from './location.js';
import type { PlainValue } from './operations.js';

/** The host name PyInfra gives this machine; resources without `targets` deploy there. */
export const LOCAL_HOST = '@local';

/** The documentation of the `targets` field every resource has (hover, completion, type declarations). */
export const TARGETS_DESCRIPTION =
  'The hosts this resource goes to, e.g. [web1, web2] (SshHost values). Without it, this machine (@local). Its assertions run on the same hosts.';

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

const HOST_BRAND = Symbol.for('clockwork.host');

/** True for any host built by a `defineHost` class, from any copy of the module. */
export function isHost(value: unknown): value is HostInstance {
  return typeof value === 'object' && value !== null && HOST_BRAND in value;
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

/** A resource's `targets`, checked: hosts, each at most once. Problems go to `issues`. */
export function checkTargets(value: unknown, issues: FieldIssue[]): HostInstance[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: 'targets', message: `expected an array of hosts such as [web1, web2], got ${describeValue(value)}` });
    return [];
  }
  const hosts: HostInstance[] = [];
  value.forEach((item, index) => {
    if (!isHost(item)) {
      issues.push({ path: `targets.${index}`, message: `expected a host such as new SshHost({...}), got ${describeValue(item)}` });
    } else if (hosts.some((host) => host.spec.name === item.spec.name)) {
      issues.push({ path: `targets.${index}`, message: `host ${JSON.stringify(item.spec.name)} is listed twice` });
    } else {
      hosts.push(item);
    }
  });
  return hosts;
}
