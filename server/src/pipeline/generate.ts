/**
 * AI generation as a run: the `generate` command, and the step apply takes before compiling.
 * Generation itself lives in `server/src/pipeline/ai/` (cached under .clockwork/generated/, at
 * most CLOCKWORK_AI_CONCURRENCY requests at once); this is where its progress becomes run
 * events, counted once.
 */
import { displayUrl } from './ai/client.js';
import { AiGenerationFailedError } from './ai/errors.js';
import { generateProject, type GenerationOutcome, type GenerationResult, type GenerationStatus } from './ai/generate.js';
import type { OutcomeBase, ProjectRunOptions, RunReporter } from './events.js';
import type { LoadedProject } from './loader/load.js';
import { projectFor } from './project.js';
import type { Settings } from './settings.js';

/** How many resources ended in each generation status. */
export type GenerationCounts = Record<GenerationStatus, number>;

/** What `generate` did. */
export interface GenerateOutcome extends OutcomeBase<'generate'> {
  /** One outcome per selected resource, in declaration order. */
  generation: GenerationOutcome[];
  counts: GenerationCounts;
  /** Requests sent to the endpoint in this run. */
  requests: number;
  model: string;
  /** The endpoint, as safe to show (no credentials). */
  endpoint: string;
  /** Why nothing may be deployed: the generations that failed, each with its resource and endpoint. */
  error?: string;
}

/** Options of `generate`. */
export interface GenerateOptions extends ProjectRunOptions {
  /** Regenerate even what is cached. */
  force?: boolean;
}

/**
 * Runs the AI for the project's open fields, reporting a `generating` step only when the AI has
 * something to write, and a `generation` event per resource with open fields.
 */
export async function generationStep(
  project: LoadedProject,
  options: { settings: Settings; signal?: AbortSignal | undefined; onEvent?: RunReporter | undefined; force?: boolean | undefined; resources?: readonly string[] | undefined },
): Promise<GenerationResult> {
  const { settings, onEvent } = options;
  let done = 0;
  let total = 0;
  return generateProject({
    project,
    settings,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.force ? { force: true } : {}),
    ...(options.resources ? { resources: options.resources } : {}),
    onEvent: (event) => {
      if (event.type === 'planned') {
        total = event.total;
        const message = `Generating with ${settings.model} at ${displayUrl(settings.baseUrl)} (at most ${settings.aiConcurrency} at a time)`;
        if (total > 0) onEvent?.({ type: 'step', step: 'generating', message, total });
      } else if (event.type === 'finished') {
        if (event.outcome.status === 'generated' || event.outcome.status === 'failed') done += 1;
        onEvent?.({ type: 'generation', outcome: event.outcome, done, total });
      } else if (event.type === 'note') {
        onEvent?.({ type: 'note', message: event.message });
      }
    },
  });
}

/** How many outcomes have each status. */
export function countGeneration(outcomes: readonly GenerationOutcome[]): GenerationCounts {
  const counts: GenerationCounts = { cached: 0, generated: 0, failed: 0, 'not-needed': 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}

/**
 * `generate`: lets the AI write what the selected resources leave open (the cache answers what
 * it can), without deploying. Throws AiKeyMissingError when the AI is needed without a key,
 * AiCancelledError when cancelled; failed generations are in the outcome.
 */
export async function generate(options: GenerateOptions): Promise<GenerateOutcome> {
  const started = performance.now();
  const project = await projectFor(options);
  const result = await generationStep(project, options);
  const failures = result.outcomes.filter((outcome) => outcome.status === 'failed');
  const error = failures.length > 0 ? new AiGenerationFailedError(failures.map((failure) => ({ kind: failure.kind, name: failure.name, error: failure.error ?? 'failed' }))).message : undefined;
  return {
    command: 'generate',
    ok: failures.length === 0,
    cancelled: false,
    generation: result.outcomes,
    counts: countGeneration(result.outcomes),
    requests: result.requests,
    model: result.model,
    endpoint: result.endpoint,
    ...(error ? { error } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}
