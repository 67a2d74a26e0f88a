/**
 * What a run reports while it works, as data. Every command of the pipeline (plan, generate,
 * apply, destroy, assert, setup) reports through one `RunReporter`; the CLI prints the events,
 * the language server sends them on to the editor. Nothing here knows who listens.
 */
import type { GenerationOutcome } from './ai/generate.js';
import type { AssertionRef, AssertionResult, AssertRunner } from './assert/types.js';
import type { ResourceChange } from './compile/changes.js';
import type { LoadedProject } from './loader/load.js';
import type { ResourceResult } from './pyinfra/results.js';
import type { Settings } from './settings.js';

/** The steps of a run, in the order they happen. */
export type RunStep = 'loading' | 'generating' | 'compiling' | 'removing' | 'deploying' | 'destroying' | 'recording' | 'checking' | 'installing';

/** Who printed an `output` line. */
export type OutputSource = 'clockwork.ts' | 'pyinfra' | 'sh' | 'pip';

/** One check an assert run is about to perform (on every host). */
export interface CheckRef {
  resource: string;
  assertion: AssertionRef;
  isDefault: boolean;
}

/** A step begins. `message` is a short sentence for people, e.g. "Deploying 3 resource(s) with PyInfra". */
export type StepEvent =
  | { type: 'step'; step: Exclude<RunStep, 'generating' | 'removing' | 'checking'>; message: string }
  /** `total`: how many resources the AI writes now (cached answers not counted); never 0. */
  | { type: 'step'; step: 'generating'; message: string; total: number }
  /** What is about to be removed because clockwork.ts no longer declares it. */
  | { type: 'step'; step: 'removing'; message: string; changes: ResourceChange[] }
  /** The checks about to run, and how they reach the hosts. */
  | { type: 'step'; step: 'checking'; message: string; runner: AssertRunner; checks: CheckRef[] };

/** Everything a run reports, in order. */
export type RunEvent =
  | StepEvent
  /**
   * One resource's AI generation finished (cached, generated or failed). `done` counts the
   * answers the AI wrote (or failed to write) in this run so far, of `total`; a cached answer
   * counts in neither.
   */
  | { type: 'generation'; outcome: GenerationOutcome; done: number; total: number }
  /**
   * Something worth a warning that is not a failure (e.g. the endpoint lacks structured output);
   * level `error` when whoever runs the pipeline reports why it stopped.
   */
  | { type: 'note'; message: string; level?: 'warn' | 'error' }
  /** One resource's result on one host (apply, destroy), once PyInfra has finished. */
  | { type: 'resource'; result: ResourceResult }
  /** One assertion's result on one host, as it arrives; `done` counts results so far. */
  | { type: 'assertion'; result: AssertionResult; done: number }
  /** A line a tool printed while the run waited for it: clockwork.ts while loading, PyInfra, sh checks, pip. */
  | { type: 'output'; source: OutputSource; line: string };

/** Receives a run's events. */
export type RunReporter = (event: RunEvent) => void;

/** What every run takes. */
export interface RunOptions {
  settings: Settings;
  /** Cancels the run: AI requests are aborted, PyInfra and everything it started are stopped. */
  signal?: AbortSignal;
  /** Only these resources (by name); all when undefined. */
  resources?: readonly string[];
  /** Only on these hosts (`--host NAME`); every host when undefined. */
  hosts?: readonly string[];
  /** Receives the run's events. */
  onEvent?: RunReporter;
}

/** What runs that need clockwork.ts take. */
export interface ProjectRunOptions extends RunOptions {
  /** An already loaded project; loaded from settings.projectDir (reporting a `loading` step) otherwise. */
  project?: LoadedProject;
}

/** What every run's outcome says, besides its own data. */
export interface OutcomeBase<C extends string> {
  command: C;
  /** True when the run did all its work and everything succeeded. */
  ok: boolean;
  cancelled: boolean;
  durationMs: number;
}
