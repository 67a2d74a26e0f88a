/** Progress events apply and destroy report to their caller (the CLI, the editor). */
import type { ResourceChange } from './compile/changes.js';

/** The steps of a run, in order. */
export type PipelineStep = 'loading' | 'generating' | 'compiling' | 'removing' | 'deploying' | 'destroying' | 'recording';

/** One progress event. */
export interface PipelineEvent {
  step: PipelineStep;
  /** A short sentence for people, e.g. "Deploying 3 resource(s) with PyInfra". */
  message: string;
  /** For `removing`: what is about to be removed because clockwork.ts no longer declares it. */
  changes?: ResourceChange[];
}

/** Options apply and destroy share. */
export interface RunOptions {
  /** Receives progress events. */
  onEvent?: (event: PipelineEvent) => void;
  /** Receives PyInfra's output, line by line. */
  onOutput?: (line: string) => void;
  /** Cancels the run; PyInfra and everything it started are stopped. */
  signal?: AbortSignal;
  /** Only these resources (by name); all when undefined. */
  resources?: readonly string[];
}
