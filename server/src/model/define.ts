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
import { captureCallerLocation, type SourceLocation } from './location.js';
import type { DeployContext, ResourceOperation } from './operations.js';

/** A zod object schema for a concept's fields. */
export type ConceptSchema = z.ZodObject<z.core.$ZodLooseShape, z.core.$strict>;

/** Documentation shared by resources and assertions. */
interface ConceptDocs {
  /** The class name users write, e.g. `FileResource`. */
  kind: string;
  /** One or two sentences: what it is. */
  summary: string;
  /** A complete, valid example of use. */
  example: string;
}

/** What a resource stands for on a host: the thing apply creates and destroy removes. */
export interface ResourceIdentity {
  /** `file` for a path on the host, `container` for a Docker container name. */
  type: 'file' | 'container';
  /** The path (absolute) or container name. */
  id: string;
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
  /** The PyInfra operations that remove what `deploy` created, from its recorded identity alone. */
  destroy(identity: ResourceIdentity): ResourceOperation[];
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

function report(error: ClockworkValidationError): void {
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
  readonly location: SourceLocation | undefined;
  toJSON(): ResourceData;
}

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
  new (spec: z.input<S> & { assertions?: AssertionInstance[] }): ResourceInstance<S>;
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
    readonly location: SourceLocation | undefined;

    constructor(input: z.input<S> & { assertions?: AssertionInstance[] }) {
      this.location = captureCallerLocation();
      const { assertions, ...fields } = (typeof input === 'object' && input !== null ? input : {}) as Record<
        string,
        unknown
      >;
      const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
      const result = validateSpec(definition.schema, isObject ? fields : input);
      const issues = result.ok ? [] : [...result.issues];
      this.spec = (result.ok ? result.spec : fields) as z.output<S>;
      this.assertions = checkAssertions(definition.kind, assertions, issues);
      if (issues.length > 0) {
        const name = typeof fields['name'] === 'string' ? fields['name'] : undefined;
        report(new ClockworkValidationError(definition.kind, name, issues, this.location));
      }
    }

    toJSON(): ResourceData {
      return {
        kind: this.kind,
        spec: this.spec as ResourceData['spec'],
        assertions: this.assertions.map((assertion) => assertion.toJSON()),
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
      if (!result.ok) report(new ClockworkValidationError(definition.kind, undefined, result.issues, this.location));
    }

    toJSON(): AssertionData {
      return { kind: this.kind, spec: this.spec as Record<string, unknown>, ...(this.location ? { location: this.location } : {}) };
    }
  }
  Object.defineProperty(Assertion, 'name', { value: definition.kind });
  return Assertion;
}
