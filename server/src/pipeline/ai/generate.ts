/**
 * AI generation for a project: every resource whose definition leaves fields open gets
 * them from the cache or from the AI, at most `settings.aiConcurrency` requests at a time.
 * Generic: what to ask and how to merge the answer is each resource definition's
 * `generation` member.
 */
import { setMaxListeners } from 'node:events';
import { validateSpec } from '../../model/define.js';
import { ClockworkError } from '../../model/errors.js';
import { selectResources } from '../loader/select.js';
import type { LoadedProject, LoadedResource } from '../loader/load.js';
import type { Settings } from '../settings.js';
import { ask } from './ask.js';
import { cacheFile, cacheKey, readCache, writeCache, writePreview, type CacheEntry } from './cache.js';
import { cachedValues, keptEditNote } from './edits.js';
import { AiEndpoint, displayUrl, RequestCancelled, type StructuredMode, type TokenUsage } from './client.js';
import { AiCancelledError, AiGenerationFailedError, AiKeyMissingError, type ResourceNeedingAi } from './errors.js';

/** What happened to one resource. */
export type GenerationStatus = 'cached' | 'generated' | 'failed' | 'not-needed';

/** One resource's outcome. */
export interface GenerationOutcome {
  kind: string;
  name: string;
  status: GenerationStatus;
  /** The fields the AI fills in (empty when not needed). */
  openFields: string[];
  /** The generated values (cached or new), before merging with the user's. */
  values?: Record<string, unknown>;
  /** Tokens of the generation (for a cached one: of the run that made it). */
  usage?: TokenUsage;
  /** Requests sent in this run for this resource. */
  requests: number;
  model?: string;
  generatedAt?: string;
  /** The cache file and the readable preview. */
  cacheFile?: string;
  preview?: string;
  /** True when `values` hold the user's edit of the preview (what gets deployed). */
  edited?: boolean;
  /** Why it failed (names the resource and the endpoint). */
  error?: string;
  durationMs: number;
}

/**
 * Progress, as it happens: first `planned` (how many resources the AI is asked for; the cache
 * answers the rest), then one `finished` per resource that has open fields.
 */
export type GenerationEvent =
  | { type: 'planned'; total: number }
  | { type: 'started'; kind: string; name: string }
  | { type: 'finished'; outcome: GenerationOutcome }
  | { type: 'note'; message: string };

/** Options of `generateProject`. */
export interface GenerateOptions {
  project: LoadedProject;
  settings: Settings;
  /** Regenerate even when a cached answer exists. */
  force?: boolean;
  /** Only these resources (by name); default all. */
  resources?: readonly string[];
  signal?: AbortSignal;
  onEvent?: (event: GenerationEvent) => void;
}

/** What `generateProject` returns. */
export interface GenerationResult {
  outcomes: GenerationOutcome[];
  /** Requests sent to the endpoint in this run (not counting the SDK's retries). */
  requests: number;
  model: string;
  endpoint: string;
  /**
   * The selected resources with generated values merged in (a value the user gave always
   * wins). Throws AiGenerationFailedError when any needed generation failed.
   */
  completedResources(): LoadedResource[];
}

export { UnknownResourceError } from '../loader/select.js';

/** Whether the AI still has to write a resource's open fields, or they are cached. */
export type AiStatus = 'cached' | 'will generate' | 'none';

/** The AI status of each resource, by name: reads the cache only, needs no key. */
export function generationStatus(project: LoadedProject, settings: Settings): Map<string, AiStatus> {
  return new Map(
    project.resources.map((resource) => {
      if (resource.definition.openFields(resource.spec).length === 0) return [resource.name, 'none'];
      const cached = readCache(settings.stateDir, cacheKey(resource, settings.model));
      return [resource.name, cached ? 'cached' : 'will generate'];
    }),
  );
}

/**
 * The project with every cached generation merged in (no key, no request); resources the AI
 * has not written yet keep their open fields. What apply would deploy, as far as known.
 */
export function completeFromCache(project: LoadedProject, settings: Settings): LoadedProject {
  const resources = project.resources.map((resource) => {
    const generation = resource.definition.generation;
    if (!generation || resource.definition.openFields(resource.spec).length === 0) return resource;
    const key = cacheKey(resource, settings.model);
    const cached = readCache(settings.stateDir, key);
    const chosen = cached ? cachedValues(resource, cached, key, settings.stateDir) : undefined;
    return chosen && 'values' in chosen ? { ...resource, spec: generation.merge(resource.spec, chosen.values) as LoadedResource['spec'] } : resource;
  });
  return { ...project, resources };
}

/** Generates what the project's resources leave open, from the cache where possible. */
export async function generateProject(options: GenerateOptions): Promise<GenerationResult> {
  const { project, settings } = options;
  const selected = selectResources(project, options.resources);
  const outcomes = new Map<string, GenerationOutcome>();
  const pending: { resource: LoadedResource; key: string; openFields: string[] }[] = [];
  const cachedOutcomes: GenerationOutcome[] = [];

  for (const resource of selected) {
    const openFields = resource.definition.openFields(resource.spec);
    const base = { kind: resource.kind, name: resource.name, openFields, requests: 0, durationMs: 0 };
    if (openFields.length === 0) {
      outcomes.set(resource.name, { ...base, status: 'not-needed' });
      continue;
    }
    const key = cacheKey(resource, settings.model);
    const cached = options.force ? undefined : readCache(settings.stateDir, key);
    if (cached) {
      const outcome = cachedOutcome(resource, openFields, cached, key, settings.stateDir, options.onEvent);
      outcomes.set(resource.name, outcome);
      cachedOutcomes.push(outcome);
    } else {
      pending.push({ resource, key, openFields });
    }
  }
  if (pending.length > 0 && !settings.apiKey) throw new AiKeyMissingError(pending.map(toNeedingAi), process.cwd());
  options.onEvent?.({ type: 'planned', total: pending.length });
  for (const outcome of cachedOutcomes) options.onEvent?.({ type: 'finished', outcome });

  const endpointUrl = displayUrl(settings.baseUrl);
  let requests = 0;
  if (pending.length > 0) {
    if (options.signal?.aborted) throw new AiCancelledError();
    // One internal signal follows the caller's: every request listens to it (the SDK adds a
    // listener per request), so it may have many listeners without a leak warning.
    const internal = new AbortController();
    setMaxListeners(0, internal.signal);
    const stopFollowing = follow(options.signal, internal);
    const signal = internal.signal;
    try {
      const endpoint = new AiEndpoint(settings);
      const context = {
        endpoint,
        structuredMode: { current: 'json_schema' as StructuredMode },
        signal,
        onNote: (message: string) => options.onEvent?.({ type: 'note', message }),
      };
      const limit = limiter(settings.aiConcurrency);
      await Promise.all(
        pending.map(({ resource, key, openFields }) =>
          limit(async () => {
            if (signal.aborted) return;
            const outcome = await generateOne(resource, key, openFields, context, settings, options.onEvent);
            if (outcome) outcomes.set(resource.name, outcome);
          }),
        ),
      );
      requests = endpoint.requests;
    } finally {
      stopFollowing();
    }
    if (signal.aborted) throw new AiCancelledError();
  }

  const ordered = selected.map((resource) => outcomes.get(resource.name) as GenerationOutcome);
  return {
    outcomes: ordered,
    requests,
    model: settings.model,
    endpoint: endpointUrl,
    completedResources: () => complete(selected, ordered),
  };
}

async function generateOne(
  resource: LoadedResource,
  key: string,
  openFields: string[],
  context: Parameters<typeof ask>[2] & { endpoint: AiEndpoint },
  settings: Settings,
  onEvent: GenerateOptions['onEvent'],
): Promise<GenerationOutcome | undefined> {
  const started = Date.now();
  const subject = `${resource.kind} ${JSON.stringify(resource.name)}`;
  const base = { kind: resource.kind, name: resource.name, openFields };
  onEvent?.({ type: 'started', kind: resource.kind, name: resource.name });
  let requests = 0;
  try {
    const generation = resource.definition.generation;
    if (!generation) throw new ClockworkError(`${subject}: leaves ${openFields.join(', ')} open, but ${resource.kind} has no AI generation`);
    const request = generation.request(resource.spec);
    const result = await ask(request, subject, context);
    requests = result.requests;
    const merged = generation.merge(resource.spec, result.answer);
    const checked = validateSpec(resource.definition.schema, merged);
    if (!checked.ok) {
      const problems = checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      throw new ClockworkError(`${subject}: ${context.endpoint.where()} answered with values that do not fit: ${problems}`);
    }
    const entry: CacheEntry = {
      kind: resource.kind,
      name: resource.name,
      model: settings.model,
      endpoint: context.endpoint.displayUrl,
      generatedAt: new Date().toISOString(),
      usage: result.usage,
      requests: result.requests,
      mode: result.mode,
      fields: result.answer,
    };
    // Stored only now, complete: a cancelled or failed generation leaves nothing behind.
    const file = writeCache(settings.stateDir, key, entry);
    const written = writePreview(settings.stateDir, resource, key, entry.fields, request.output === 'text' ? request.field : undefined);
    if (written.keptEdit) onEvent?.({ type: 'note', message: keptEditNote(resource, written.file, written.keptEdit) });
    const preview = written.file;
    const outcome: GenerationOutcome = {
      ...base,
      status: 'generated',
      values: entry.fields,
      usage: entry.usage,
      requests,
      model: entry.model,
      generatedAt: entry.generatedAt,
      cacheFile: file,
      preview,
      durationMs: Date.now() - started,
    };
    onEvent?.({ type: 'finished', outcome });
    return outcome;
  } catch (error) {
    if (error instanceof RequestCancelled || context.signal.aborted) return undefined;
    const message = error instanceof Error ? error.message : String(error);
    const outcome: GenerationOutcome = {
      ...base,
      status: 'failed',
      requests,
      error: context.endpoint.redact(message.startsWith(subject) ? message : `${subject}: ${message}`),
      durationMs: Date.now() - started,
    };
    onEvent?.({ type: 'finished', outcome });
    return outcome;
  }
}

function cachedOutcome(
  resource: LoadedResource,
  openFields: string[],
  entry: CacheEntry,
  key: string,
  stateDir: string,
  onEvent: GenerateOptions['onEvent'],
): GenerationOutcome {
  const chosen = cachedValues(resource, entry, key, stateDir);
  const base = { kind: resource.kind, name: resource.name, openFields, requests: 0, durationMs: 0, preview: chosen.preview };
  if ('error' in chosen) return { ...base, status: 'failed', error: chosen.error };
  if (chosen.keptEdit) onEvent?.({ type: 'note', message: keptEditNote(resource, chosen.preview, chosen.keptEdit) });
  if (chosen.edited) onEvent?.({ type: 'note', message: `${resource.kind} ${JSON.stringify(resource.name)}: using your edit of ${chosen.preview}` });
  return {
    ...base,
    status: 'cached',
    values: chosen.values,
    edited: chosen.edited,
    usage: entry.usage,
    requests: 0,
    model: entry.model,
    generatedAt: entry.generatedAt,
    cacheFile: cacheFile(stateDir, key),
  };
}

function complete(selected: LoadedResource[], outcomes: GenerationOutcome[]): LoadedResource[] {
  const failures = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failures.length > 0) {
    throw new AiGenerationFailedError(failures.map((failure) => ({ kind: failure.kind, name: failure.name, error: failure.error ?? 'failed' })));
  }
  return selected.map((resource, index) => {
    const outcome = outcomes[index];
    const generation = resource.definition.generation;
    if (!outcome?.values || !generation) return resource;
    return { ...resource, spec: generation.merge(resource.spec, outcome.values) as LoadedResource['spec'] };
  });
}

function toNeedingAi(item: { resource: LoadedResource; openFields: string[] }): ResourceNeedingAi {
  return { kind: item.resource.kind, name: item.resource.name, fields: item.openFields, location: item.resource.location };
}

/** Runs at most `max` tasks at once, in the order they were queued. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiting one.
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/** Aborts `target` when `source` aborts; returns a function that stops following. */
function follow(source: AbortSignal | undefined, target: AbortController): () => void {
  if (!source) return () => undefined;
  if (source.aborted) {
    target.abort();
    return () => undefined;
  }
  const onAbort = (): void => target.abort();
  source.addEventListener('abort', onAbort, { once: true });
  return () => source.removeEventListener('abort', onAbort);
}
