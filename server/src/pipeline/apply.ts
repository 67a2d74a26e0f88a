/**
 * `apply`: load clockwork.ts, let the AI fill open fields, compile to PyInfra, remove what
 * clockwork.ts no longer declares, deploy the rest, and record it in the state.
 */
import { planChanges, specHash, type ResourceChange } from './compile/changes.js';
import { compileApply, writePrograms } from './compile/compile.js';
import type { RunOptions } from './events.js';
import type { GenerationEvent, GenerationOutcome } from './ai/generate.js';
import { ensureGenerated } from './generate.js';
import { selectResources } from './loader/select.js';
import { loadProject, type LoadedProject, type LoadedResource } from './loader/load.js';
import { acquireLock } from './lock.js';
import { locatePyinfra } from './pyinfra/locate.js';
import { pyinfraFailure, resourceResults, type ResourceResult } from './pyinfra/results.js';
import { runPyinfra } from './pyinfra/run.js';
import type { Settings } from './settings.js';
import { ANY_HOST, readState, recordKey, writeState, type StateRecord } from './state.js';

/** Options for `apply`. */
export interface ApplyOptions extends RunOptions {
  settings: Settings;
  /** An already loaded project (the editor has one); loaded from settings.projectDir otherwise. */
  project?: LoadedProject;
  /** Receives the AI generation's own events (each resource started, finished, notes). */
  onGeneration?: (event: GenerationEvent) => void;
}

/** What apply did. */
export interface ApplyResult {
  ok: boolean;
  cancelled: boolean;
  /** The planned changes, removals included. */
  changes: ResourceChange[];
  /** Per resource and host. */
  results: ResourceResult[];
  /** What the AI step did for each resource (cached, generated, not needed). */
  generation: GenerationOutcome[];
  /** A failure not tied to one resource (PyInfra itself failed). */
  error?: string;
  durationMs: number;
}

/** Applies clockwork.ts. Throws ClockworkError for bad input; deploy failures are in the result. */
export async function apply(options: ApplyOptions): Promise<ApplyResult> {
  const started = performance.now();
  const { settings, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  emit({ step: 'loading', message: 'Loading clockwork.ts' });
  const loaded = options.project ?? (await loadProject({ target: settings.projectDir, timeoutMs: settings.loadTimeoutMs, ...(signal ? { signal } : {}) }));
  const selected = selectResources(loaded, options.resources);
  // PyInfra is looked for first, so a missing one is reported before any AI request is paid for.
  const pyinfra = locatePyinfra(settings);
  const open = selected.filter((resource) => resource.definition.openFields(resource.spec).length > 0).length;
  let generated = 0;
  if (open > 0) emit({ step: 'generating', message: `Generating 0/${open}` });
  const { project, outcomes } = await ensureGenerated({ ...loaded, resources: selected }, settings, signal, (event) => {
    options.onGeneration?.(event);
    if (event.type === 'finished' && event.outcome.status !== 'not-needed') {
      emit({ step: 'generating', message: `Generating ${++generated}/${open}` });
    }
  });

  const lock = acquireLock(settings.stateDir, 'apply');
  try {
    const records = readState(settings.stateDir);
    const allChanges = planChanges(project.resources, records, project.projectDir);
    // With a resource filter, only those resources are touched: nothing is removed.
    const changes = options.resources ? allChanges.filter((change) => change.action !== 'remove') : allChanges;
    const removals = changes.filter((change) => change.action === 'remove');
    emit({ step: 'compiling', message: `Compiling ${project.resources.length} resource(s) to PyInfra` });
    const compiled = compileApply(project.resources, records, removals, project.projectDir);
    writePrograms(settings.outputDir, [compiled.deploy, compiled.destroy]);
    if (removals.length > 0) {
      emit({ step: 'removing', message: `Removing ${removals.length} resource(s) no longer in clockwork.ts`, changes: removals });
    }
    emit({ step: 'deploying', message: `Deploying ${project.resources.length} resource(s) with PyInfra` });
    const run = await runPyinfra({
      pyinfra,
      cwd: settings.outputDir,
      inventory: settings.inventory ?? 'inventory.py',
      program: compiled.deploy.fileName,
      ...(signal ? { signal } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
    const results = resourceResults(compiled.deploy.owners, run);
    emit({ step: 'recording', message: 'Recording what was deployed' });
    writeState(settings.stateDir, nextState(records, results, project.resources, compiled.contentHashes));
    const failed = results.some((result) => result.status === 'failed');
    const error = !failed && run.exitCode !== 0 && !run.cancelled ? pyinfraFailure(run) : undefined;
    return {
      ok: !failed && !run.cancelled && run.exitCode === 0,
      cancelled: run.cancelled,
      changes,
      results,
      generation: outcomes,
      ...(error ? { error } : {}),
      durationMs: performance.now() - started,
    };
  } finally {
    lock.release();
  }
}

/**
 * The state after a run: deployed resources recorded (a failed one too when any of its
 * operations ran, since it may exist in part), removed ones dropped, untouched ones kept.
 */
function nextState(
  records: readonly StateRecord[],
  results: readonly ResourceResult[],
  resources: readonly LoadedResource[],
  contentHashes: ReadonlyMap<string, string>,
): StateRecord[] {
  const byHost = (record: Pick<StateRecord, 'kind' | 'name' | 'identity' | 'host'>): string => `${recordKey(record)}\0${record.host}`;
  const next = new Map(records.map((record) => [byHost(record), record]));
  const appliedAt = new Date().toISOString();
  for (const result of results) {
    const key = byHost({ kind: result.kind, name: result.resource, identity: result.identity, host: result.host });
    if (result.action === 'remove') {
      if (result.status !== 'failed') next.delete(key);
      continue;
    }
    if (result.status === 'failed' && !result.executed) continue;
    const resource = resources.find((candidate) => candidate.kind === result.kind && candidate.name === result.resource);
    if (!resource) continue;
    // A real result replaces a record for any host left by a cancelled run.
    if (result.host !== ANY_HOST) next.delete(byHost({ ...result, name: result.resource, host: ANY_HOST }));
    next.set(key, {
      kind: result.kind,
      name: result.resource,
      identity: result.identity,
      host: result.host,
      specHash: specHash(resource),
      contentHash: contentHashes.get(recordKey({ kind: result.kind, name: result.resource, identity: result.identity })) ?? '',
      appliedAt,
      ...(result.status === 'failed' ? { failed: true as const } : {}),
    });
  }
  return [...next.values()];
}
