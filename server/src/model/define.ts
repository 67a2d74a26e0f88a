/**
 * `defineResource` and `defineAssertion` turn one zod schema plus its documentation into
 * the class a user instantiates in clockwork.ts. Everything else (types, validation,
 * editor features, the AI's JSON schema) is derived from the same definition.
 */
import type { z } from 'zod';
import { ClockworkValidationError, describeValue, toFieldIssues, type FieldIssue } from './errors.js';
import type { AssertionCheck } from './check.js';
import type { ResourceGeneration } from './generation.js';
import { fieldAllowsNul, textProblems } from './fields.js';
import type { HostData, HostInstance } from './host.js';
import { checkTargets, TARGETS_DESCRIPTION } from './targets.js';
import { captureCallerLocation, type SourceLocation } from './location.js';
import type { DeployContext, Prior, PriorProbe, ResourceOperation } from './operations.js';

/** A zod object schema for a concept's fields. */
export type ConceptSchema = z.ZodObject<z.core.$ZodLooseShape, z.core.$strict>;

/** Documentation shared by resources, assertions and hosts. */
export interface ConceptDocs {
  /** The class name users write, e.g. `FileResource`. */
  kind: string;
  /** One or two sentences: what it is. */
  summary: string;
  /** A complete, valid example of use. */
  example: string;
}

/**
 * What an identity's `id` names, by type: a path on the host (`file`, `directory`, `link`,
 * `repository`: a Git checkout), a Docker container, a user or group account, or the
 * Debian packages of one resource (their names, space-separated, in the order declared).
 */
export const RESOURCE_IDENTITY_TYPES = ['file', 'directory', 'link', 'repository', 'container', 'user', 'group', 'packages'] as const;

/** The kind of thing an identity names. */
export type ResourceIdentityType = (typeof RESOURCE_IDENTITY_TYPES)[number];

/** What a resource stands for on a host: the thing apply creates and destroy removes. */
export interface ResourceIdentity {
  type: ResourceIdentityType;
  /** The path (absolute), container, account name, or package names. */
  id: string;
  /** Paths on the host apply also makes for it, which destroy removes with it (a user's home directory). */
  paths?: string[];
}

/** Facts about the project a definition may need. */
export interface ProjectContext {
  /** Absolute folder that holds clockwork.ts. */
  projectDir: string;
}

/** The definition of one kind of resource. */
export interface ResourceDefinition<S extends ConceptSchema = ConceptSchema> extends ConceptDocs {
  /** The resource's fields, without `assertions` (common to all resources). */
  schema: S;
  /** What the resource is on its host, once its spec is complete. */
  identity(spec: z.output<S>, context: ProjectContext): ResourceIdentity;
  /** Fields left open that the AI must fill in (empty when nothing is open). */
  openFields(spec: z.output<S>): string[];
  /** The assertions checked when the resource declares none (the seed's defaults). */
  defaultAssertions(spec: z.output<S>, context: ProjectContext): AssertionData[];
  /** The PyInfra operations that create or update the resource (spec complete). */
  deploy(spec: z.output<S>, context: DeployContext): ResourceOperation[];
  /**
   * Facts PyInfra gathers on each host before deploy changes anything: what existed before
   * Clockwork. Recorded in the state the first time the resource is applied on a host, and
   * handed to `destroy`, so destroy removes only what apply made.
   */
  prior?(spec: z.output<S>, context: ProjectContext): Record<string, PriorProbe>;
  /**
   * The PyInfra operations that remove what `deploy` created, from its recorded identity and
   * the facts `prior` recorded (undefined when none were: the kind has no `prior`, or the
   * facts could not be gathered).
   */
  destroy(identity: ResourceIdentity, prior: Prior | undefined): ResourceOperation[];
  /** Why destroy leaves (part of) it in place, said in the result (e.g. "it existed before apply"). */
  kept?(identity: ResourceIdentity, prior: Prior | undefined): string | undefined;
  /** How the AI fills in the open fields (prompts and schema as data; see generation.ts). */
  generation?: ResourceGeneration<z.output<S>>;
}

/** Where an assertion makes sense. */
export interface Applicability {
  /** Resource kinds the assertion is made for (offered first in completions). */
  native: readonly string[];
  /**
   * On any other kind: `any` (a host-level check that works anywhere), or the field that
   * must then be given (e.g. `containerName` for a container check on a file resource).
   */
  elsewhere: 'any' | { requires: string };
}

/** The definition of one kind of assertion. */
export interface AssertionDefinition<S extends ConceptSchema = ConceptSchema> extends ConceptDocs {
  schema: S;
  appliesTo: Applicability;
  /** A short label for results, e.g. `port 8080` (empty when the kind says it all). */
  label(spec: z.output<S>): string;
  /** What the check on a host needs and does, as data (codegen/checks.ts builds the script). */
  check(spec: z.output<S>, context: CheckContext): AssertionCheck;
}

/** What an assertion's check knows about the resource it belongs to. */
export interface CheckContext extends ProjectContext {
  resourceKind: string;
  resourceName: string;
  /** The container the resource stands for (a Docker service), if it is one. */
  container: string | undefined;
}


const RESOURCE_BRAND = Symbol.for('clockwork.resource');
const ASSERTION_BRAND = Symbol.for('clockwork.assertion');
const COLLECTOR = Symbol.for('clockwork.collector');

/**
 * While the loader evaluates clockwork.ts it installs a collector, so that every invalid
 * declaration is reported at once instead of stopping at the first. Outside the loader
 * constructors throw.
 */
type Collector = ClockworkValidationError[];

/** Reports an invalid declaration: to the loader's collector while it loads, else by throwing. */
export function reportInvalid(error: ClockworkValidationError): void {
  const collector = (globalThis as Record<symbol, Collector | undefined>)[COLLECTOR];
  if (collector) collector.push(error);
  else throw error;
}

/** Installs a collector for validation errors and returns it. Used by the loader. */
export function collectValidationErrors(): ClockworkValidationError[] {
  const collector: Collector = [];
  (globalThis as Record<symbol, Collector | undefined>)[COLLECTOR] = collector;
  return collector;
}

/** The plain-data form of an assertion: what crosses process boundaries. */
export interface AssertionData {
  kind: string;
  spec: Record<string, unknown>;
  location?: SourceLocation;
}

/** The plain-data form of a resource. */
export interface ResourceData {
  kind: string;
  spec: Record<string, unknown> & { name: string };
  assertions: AssertionData[];
  /** The names of the resources it depends on. */
  dependsOn?: string[];
  /** The hosts it goes to; absent for this machine. */
  targets?: HostData[];
  location?: SourceLocation;
}

/** An assertion object as constructed in clockwork.ts. */
export interface AssertionInstance<S extends ConceptSchema = ConceptSchema> {
  readonly kind: string;
  readonly spec: z.output<S>;
  readonly location: SourceLocation | undefined;
  toJSON(): AssertionData;
}

/** A resource object as constructed in clockwork.ts. */
export interface ResourceInstance<S extends ConceptSchema = ConceptSchema> {
  readonly kind: string;
  readonly spec: z.output<S>;
  readonly assertions: readonly AssertionInstance[];
  /**
   * The resources this one needs first: apply deploys them before it (and skips it when one
   * fails), destroy removes it before them. `push` adds one declared further down the file.
   */
  readonly dependsOn: AnyResource[];
  /** The hosts it goes to (empty: this machine). */
  readonly targets: readonly HostInstance[];
  readonly location: SourceLocation | undefined;
  toJSON(): ResourceData;
}

/** A resource of any kind (what `dependsOn` holds). */
export type AnyResource = Pick<ResourceInstance, 'kind' | 'spec' | 'location' | 'toJSON'>;

/** The fields every resource has besides its kind's own (they hold objects, not data). */
export interface CommonResourceFields {
  /** The checks that prove the resource works. */
  assertions?: AssertionInstance[];
  /** The resources it depends on. */
  dependsOn?: readonly AnyResource[];
  /** The hosts it goes to. */
  targets?: readonly HostInstance[];
}

/** What the editor says about each common field (its type and what it is for). */
export const COMMON_RESOURCE_FIELDS: Readonly<Record<keyof CommonResourceFields, { typeText: string; description: string; example: string }>> = {
  assertions: {
    typeText: 'assertion[]',
    description: 'The checks that prove this resource works.',
    example: '[new FileExistsAssert({ path: "notes.md" })]',
  },
  dependsOn: {
    typeText: 'resource[]',
    description:
      'The resources this one needs first (object references): apply deploys them before it and skips it when one fails; destroy removes it before them.',
    example: '[webUser, siteDirectory]',
  },
  targets: {
    typeText: 'host[]',
    description: TARGETS_DESCRIPTION,
    example: '[web1, web2]',
  },
};

/** True for any resource built by a `defineResource` class, from any copy of the module. */
export function isResource(value: unknown): value is ResourceInstance {
  return typeof value === 'object' && value !== null && RESOURCE_BRAND in value;
}

/** True for any assertion built by a `defineAssertion` class. */
export function isAssertion(value: unknown): value is AssertionInstance {
  return typeof value === 'object' && value !== null && ASSERTION_BRAND in value;
}

/**
 * Validates `input` against a schema; returns the parsed value or field issues. Every concept
 * (and every one added later) also gets the rules of `textProblems` on each string it holds: no
 * lone surrogate anywhere, no NUL outside free text. Such a field reports that problem alone.
 */
export function validateSpec<S extends ConceptSchema>(
  schema: S,
  input: unknown,
): { ok: true; spec: z.output<S> } | { ok: false; issues: FieldIssue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: `expected an object of fields, got ${describeValue(input)}` }] };
  }
  const shape = schema.shape as Record<string, z.core.$ZodType | undefined>;
  const textIssues = textProblems(input as Record<string, unknown>, (field) => Object.hasOwn(shape, field) && fieldAllowsNul(shape[field]));
  const result = schema.safeParse(input, { reportInput: true });
  if (textIssues.length === 0) {
    return result.success ? { ok: true, spec: result.data } : { ok: false, issues: toFieldIssues(result.error.issues) };
  }
  const flagged = new Set(textIssues.map((issue) => issue.path));
  const others = result.success ? [] : toFieldIssues(result.error.issues).filter((issue) => !flagged.has(issue.path));
  return { ok: false, issues: [...textIssues, ...others] };
}

/**
 * Why `assertion` cannot be attached to a resource of `resourceKind`, or undefined when it can.
 */
export function applicabilityProblem(
  definition: AssertionDefinition,
  spec: Record<string, unknown>,
  resourceKind: string,
): string | undefined {
  const { native, elsewhere } = definition.appliesTo;
  if (native.includes(resourceKind) || elsewhere === 'any') return undefined;
  if (spec[elsewhere.requires] !== undefined) return undefined;
  return `${definition.kind} on a ${resourceKind} needs ${elsewhere.requires} (it applies by itself only to ${native.join(', ')})`;
}

/** Constructor type of a resource class, with its definition attached. */
export interface ResourceClass<S extends ConceptSchema> {
  new (spec: z.input<S> & CommonResourceFields): ResourceInstance<S>;
  readonly definition: ResourceDefinition<S>;
}

/** Constructor type of an assertion class, with its definition attached. */
export interface AssertionClass<S extends ConceptSchema> {
  new (spec: z.input<S>): AssertionInstance<S>;
  readonly definition: AssertionDefinition<S>;
}

/** Builds the class users instantiate for a resource definition. */
export function defineResource<S extends ConceptSchema>(definition: ResourceDefinition<S>): ResourceClass<S> {
  class Resource implements ResourceInstance<S> {
    static readonly definition = definition;
    readonly [RESOURCE_BRAND] = true;
    readonly kind = definition.kind;
    readonly spec: z.output<S>;
    readonly assertions: readonly AssertionInstance[];
    readonly dependsOn: AnyResource[];
    readonly targets: readonly HostInstance[];
    readonly location: SourceLocation | undefined;

    constructor(input: z.input<S> & CommonResourceFields) {
      this.location = captureCallerLocation();
      const { assertions, dependsOn, targets, ...fields } = (typeof input === 'object' && input !== null ? input : {}) as Record<
        string,
        unknown
      >;
      const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
      const result = validateSpec(definition.schema, isObject ? fields : input);
      const issues = result.ok ? [] : [...result.issues];
      this.spec = (result.ok ? result.spec : fields) as z.output<S>;
      this.assertions = checkAssertions(definition.kind, assertions, issues);
      this.dependsOn = checkDependencies(dependsOn, issues);
      this.targets = checkTargets(targets, issues);
      if (issues.length > 0) {
        const name = typeof fields['name'] === 'string' ? fields['name'] : undefined;
        reportInvalid(new ClockworkValidationError(definition.kind, name, issues, this.location));
      }
    }

    toJSON(): ResourceData {
      return {
        kind: this.kind,
        spec: this.spec as ResourceData['spec'],
        assertions: this.assertions.map((assertion) => assertion.toJSON()),
        ...(this.dependsOn.length > 0 ? { dependsOn: this.dependsOn.filter(isResource).map(dependencyName) } : {}),
        ...(this.targets.length > 0 ? { targets: this.targets.map((host) => host.toJSON()) } : {}),
        ...(this.location ? { location: this.location } : {}),
      };
    }
  }
  Object.defineProperty(Resource, 'name', { value: definition.kind });
  return Resource;
}

function checkAssertions(resourceKind: string, value: unknown, issues: FieldIssue[]): AssertionInstance[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: 'assertions', message: `expected an array of assertions, got ${describeValue(value)}` });
    return [];
  }
  const valid: AssertionInstance[] = [];
  value.forEach((item, index) => {
    if (!isAssertion(item)) {
      issues.push({
        path: `assertions.${index}`,
        message: `expected an assertion such as new FileExistsAssert({...}), got ${describeValue(item)}`,
      });
      return;
    }
    const definition = (item.constructor as Partial<AssertionClass<ConceptSchema>>).definition;
    const problem = definition && applicabilityProblem(definition, item.spec as Record<string, unknown>, resourceKind);
    if (problem) issues.push({ path: `assertions.${index}`, message: problem });
    else valid.push(item);
  });
  return valid;
}

/** Why `value` is not a resource to depend on, or undefined when it is one. */
export function dependencyProblem(value: unknown): string | undefined {
  return isResource(value) ? undefined : `expected a resource such as siteDirectory (a new DirectoryResource({...})), got ${describeValue(value)}`;
}

function checkDependencies(value: unknown, issues: FieldIssue[]): AnyResource[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: 'dependsOn', message: `expected an array of resources, got ${describeValue(value)}` });
    return [];
  }
  const valid: AnyResource[] = [];
  value.forEach((item, index) => {
    const problem = dependencyProblem(item);
    if (problem) issues.push({ path: `dependsOn.${index}`, message: problem });
    else valid.push(item as ResourceInstance);
  });
  return valid;
}

function dependencyName(resource: AnyResource): string {
  return String(resource.spec['name']);
}

/** Builds the class users instantiate for an assertion definition. */
export function defineAssertion<S extends ConceptSchema>(definition: AssertionDefinition<S>): AssertionClass<S> {
  class Assertion implements AssertionInstance<S> {
    static readonly definition = definition;
    readonly [ASSERTION_BRAND] = true;
    readonly kind = definition.kind;
    readonly spec: z.output<S>;
    readonly location: SourceLocation | undefined;

    constructor(input: z.input<S>) {
      this.location = captureCallerLocation();
      const result = validateSpec(definition.schema, input);
      this.spec = (result.ok ? result.spec : input) as z.output<S>;
      if (!result.ok) reportInvalid(new ClockworkValidationError(definition.kind, undefined, result.issues, this.location));
    }

    toJSON(): AssertionData {
      return { kind: this.kind, spec: this.spec as Record<string, unknown>, ...(this.location ? { location: this.location } : {}) };
    }
  }
  Object.defineProperty(Assertion, 'name', { value: definition.kind });
  return Assertion;
}
