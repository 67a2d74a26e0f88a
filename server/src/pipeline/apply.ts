/**
 * `apply`: load clockwork.ts, let the AI fill open fields, compile to PyInfra, remove what
 * clockwork.ts no longer declares, deploy the rest, and record it in the state.
 */
import { planChanges, specHash, type ResourceChange } from './compile/changes.js';
import { compileApply, compileDestroy, writePrograms } from './compile/compile.js';
import type { GenerationOutcome } from './ai/generate.js';
import type { OutcomeBase, ProjectRunOptions } from './events.js';
import { createdFolders, folderOperations, mergeFolders, remainingFolders, removeEmptyFolders } from './folders.js';
import { generationStep } from './generate.js';
import { selectResources } from './loader/select.js';
import type { LoadedResource } from './loader/load.js';
import { checkKeyFiles, entriesFor, hostPlan, runLimit } from './hosts.js';
import { acquireLock } from './lock.js';
import { projectFor } from './project.js';
import { locatePyinfra } from './pyinfra/locate.js';
import { countResults, pyinfraFailure, resourceResults, type ResourceCounts, type ResourceResult } from './pyinfra/results.js';
import { startEarly } from './pyinfra/early.js';
import { runPyinfra, type PausedPyinfra } from './pyinfra/run.js';
import type { Settings } from './settings.js';
import { ANY_HOST, readRecordedHosts, readState, readStateContent, recordKey, writeState, type StateRecord } from './state.js';

/** Options for `apply`. */
export type ApplyOptions = ProjectRunOptions;

/** What apply did. */
export interface ApplyOutcome extends OutcomeBase<'apply'> {
  /** The planned changes, removals included. */
  changes: ResourceChange[];
  /** Per resource and host. */
  results: ResourceResult[];
  /** How many results changed, stayed unchanged, were removed or failed. */
  counts: ResourceCounts;
  /** What the AI step did for each resource (cached, generated, not needed). */
  generation: GenerationOutcome[];
  /** A failure not tied to one resource (PyInfra itself failed). */
  error?: string;
}

/** Applies clockwork.ts. Throws ClockworkError for bad input; deploy failures are in the outcome. */
export async function apply(options: ApplyOptions): Promise<ApplyOutcome> {
  const started = performance.now();
  const { settings, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  const onOutput = (line: string): void => emit({ type: 'output', source: 'pyinfra', line });
  // PyInfra starts now on the last apply's programs, and waits: it runs them if this apply
  // compiles the same programs, else it is stopped (it did nothing yet) and started again.
  let early = startEarlyDeploy(settings, signal, onOutput);
  try {
    return await applyLoaded(options, started, emit, onOutput, () => {
      const taken = early;
      early = undefined;
      return taken;
    });
  } finally {
    await early?.stop();
  }
}

async function applyLoaded(
  options: ApplyOptions,
  started: number,
  emit: NonNullable<ApplyOptions['onEvent']>,
  onOutput: (line: string) => void,
  takeEarly: () => PausedPyinfra | undefined,
): Promise<ApplyOutcome> {
  const { settings, signal } = options;
  const loaded = await projectFor(options);
  const selected = selectResources(loaded, options.resources);
  // PyInfra and the hosts are checked first, so a problem is reported before any AI request is paid for.
  const pyinfra = locatePyinfra(settings);
  const placementFor = (records: readonly StateRecord[]) =>
    hostPlan(loaded, settings, { recorded: readRecordedHosts(settings.stateDir), recordedNames: records.map((record) => record.host), only: options.hosts });
  checkKeyFiles(placementFor(readState(settings.stateDir)).inventory);
  const generation = await generationStep({ ...loaded, resources: selected }, options);
  // Throws AiGenerationFailedError when anything could not be generated: nothing is deployed then.
  const project = { ...loaded, resources: generation.completedResources() };

  const lock = acquireLock(settings.stateDir, 'apply');
  try {
    const { resources: records, folders } = readStateContent(settings.stateDir);
    const placement = placementFor(records);
    const allChanges = planChanges(project.resources, records, project.projectDir, placement.hostsOf);
    // With a resource filter, only those resources are touched: nothing is removed.
    const changes = options.resources ? allChanges.filter((change) => change.action !== 'remove') : allChanges;
    const removals = changes.filter((change) => change.action === 'remove');
    emit({ type: 'step', step: 'compiling', message: `Compiling ${project.resources.length} resource(s) to PyInfra` });
    // What the removals (and resources leaving hosts) leave empty of the folders Clockwork created goes too.
    const removing = removals.length > 0 || changes.some((change) => (change.leaving ?? []).length > 0);
    const compiled = compileApply(project.resources, records, removals, project.projectDir, removing ? removeEmptyFolders(folders) : [], placement);
    const written = writePrograms(settings.outputDir, [compiled.deploy, compiled.destroy], placement.inventory);
    const limit = runLimit(placement, [...compiled.deploy.owners.values()].map((owner) => owner.hosts));
    // The PyInfra started early runs every host on the last programs: only when those still fit.
    const early = takeEarly();
    const stale = limit !== undefined || written.some((name) => name !== compiled.destroy.fileName);
    if (early && stale) await early.stop();
    if (removals.length > 0) {
      emit({ type: 'step', step: 'removing', message: `Removing ${removals.length} resource(s) no longer in clockwork.ts`, changes: removals });
    }
    emit({ type: 'step', step: 'deploying', message: `Deploying ${project.resources.length} resource(s) with PyInfra` });
    const run =
      early && !stale
        ? await early.go()
        : await runPyinfra({
            pyinfra,
            cwd: settings.outputDir,
            inventory: settings.inventory ?? 'inventory.py',
            program: compiled.deploy.fileName,
            limit,
            ...(signal ? { signal } : {}),
            onOutput,
          });
    // Each result says what the plan said, so reports use the plan's words ("created", not "changed").
    const planned = new Map(changes.map((change) => [recordKey({ kind: change.kind, name: change.name, identity: change.identity }), change.action]));
    const results = resourceResults(compiled.deploy.owners, run, compiled.deploy.kept, { inventory: placement.inventory, hosts: placement.only }).map((result) => {
      const action = result.action === 'deploy' ? planned.get(recordKey({ kind: result.kind, name: result.resource, identity: result.identity })) : undefined;
      return action && action !== 'remove' ? { ...result, planned: action } : result;
    });
    emit({ type: 'step', step: 'recording', message: 'Recording what was deployed' });
    // A DirectoryResource's folder is the resource itself (destroy removes it, knowing whether it
    // existed before): only the folders other resources make on the way are tracked as such.
    const folderOps = compiled.deploy.operations.filter((operation) => compiled.deploy.owners.get(operation.name)?.identity.type !== 'directory');
    const created = createdFolders(folderOperations(folderOps), run);
    const next = nextState(records, results, project.resources, compiled.contentHashes);
    const nextFolders = remainingFolders(mergeFolders(folders, created), run);
    writeState(settings.stateDir, next, nextFolders, entriesFor(placement.inventory, next.map((record) => record.host)));
    // destroy.py by hand now removes what the state records, with the facts this run gathered.
    if (next.length > 0) writePrograms(settings.outputDir, [compileDestroy(next, removeEmptyFolders(nextFolders))], placement.inventory);
    for (const result of results) emit({ type: 'resource', result });
    const failed = results.some((result) => result.status === 'failed' || result.status === 'skipped');
    const error = !failed && run.exitCode !== 0 && !run.cancelled ? pyinfraFailure(run) : undefined;
    return {
      command: 'apply',
      ok: !failed && !run.cancelled && run.exitCode === 0,
      cancelled: run.cancelled,
      changes,
      results,
      counts: countResults(results),
      generation: generation.outcomes,
      ...(error ? { error } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    lock.release();
  }
}

/** PyInfra started paused on the last apply's deploy.py (see pyinfra/early.ts), when it may. */
function startEarlyDeploy(settings: Settings, signal: AbortSignal | undefined, onOutput: (line: string) => void): PausedPyinfra | undefined {
  let pyinfra: string;
  try {
    pyinfra = locatePyinfra(settings);
  } catch {
    return undefined;
  }
  return startEarly({ pyinfra, cwd: settings.outputDir, inventory: settings.inventory ?? 'inventory.py', program: 'deploy.py', ...(signal ? { signal } : {}), onOutput });
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
      if (result.status !== 'failed' && result.status !== 'skipped') next.delete(key);
      continue;
    }
    if ((result.status === 'failed' || result.status === 'skipped') && !result.executed) continue;
    const resource = resources.find((candidate) => candidate.kind === result.kind && candidate.name === result.resource);
    if (!resource) continue;
    // What the host held before Clockwork first applied it: the first record's facts stay.
    const prior = next.get(key)?.prior ?? next.get(byHost({ ...result, name: result.resource, host: ANY_HOST }))?.prior ?? result.prior;
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
      ...(prior ? { prior } : {}),
      ...(resource.dependsOn.length > 0 ? { dependsOn: [...resource.dependsOn] } : {}),
    });
  }
  return [...next.values()];
}
