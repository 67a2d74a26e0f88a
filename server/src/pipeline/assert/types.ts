/** The data `clockwork assert` produces: one result per assertion and host. */
import type { SourceLocation } from '../../model/location.js';
import type { OutcomeBase, ProjectRunOptions } from '../events.js';

/** What happened to one assertion on one host. */
export type AssertionStatus = 'passed' | 'failed' | 'error';

/** Which assertion a result is for. */
export interface AssertionRef {
  kind: string;
  /** Position among its resource's assertions (or among its defaults when `isDefault`). */
  index: number;
  /** A readable label, e.g. `port 8080` (may be empty). */
  label: string;
}

/** One assertion's result on one host. */
export interface AssertionResult {
  /** The resource's name. */
  resource: string;
  /** The resource's kind. */
  kind: string;
  assertion: AssertionRef;
  host: string;
  /** passed; failed (it ran and does not hold); error (it could not run: a tool missing, the host unreachable). */
  status: AssertionStatus;
  /** Why it failed or errored (may be empty when passed). */
  message: string;
  /** What passing means, e.g. `status 200`. */
  expected: string;
  /** What was found, e.g. `404` or `412 ms` (empty when unknown). */
  actual: string;
  durationMs: number;
  /** True for the seed's default checks of a resource that declares no assertions. */
  isDefault: boolean;
  /** Where the assertion is written in clockwork.ts (defaults: where the resource is). */
  location?: SourceLocation;
}

/** How the checks were carried to the host. */
export type AssertRunner = 'sh' | 'pyinfra';

/** The outcome of `runAssertions`. */
export interface AssertOutcome extends OutcomeBase<'assert'> {
  /** True when every assertion passed. */
  ok: boolean;
  runner: AssertRunner;
  /** One sentence on how the checks ran, e.g. that PyInfra was not found and sh ran them. */
  runnerNote: string;
  results: AssertionResult[];
  counts: { total: number; passed: number; failed: number; error: number };
}

/** Picks exactly one assertion (the editor's Testing panel runs one at a time). */
export interface AssertionSelector {
  resource: string;
  index: number;
}

/** Options of `runAssertions`; `resources` picks resources by name. */
export interface RunAssertionsOptions extends ProjectRunOptions {
  /** Only these assertions. */
  assertions?: readonly AssertionSelector[];
  /** `auto` (default): PyInfra when installed, else sh for an @local-only inventory. */
  runner?: 'auto' | AssertRunner;
  /** Extra environment for the check processes (sh runner only; e.g. a restricted PATH). */
  environment?: Record<string, string>;
}
