/**
 * `destroy`: remove exactly what the state lists, then the folders apply created that are
 * left empty. It never loads clockwork.ts (it may be gone or broken) and never needs the AI.
 * The results of what it removed are forgotten; when nothing is left, `.clockwork/` goes too
 * (state, programs, results and the AI's generated content) unless `keepFiles`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textProblem } from '../model/fields.js';
import { generatedDir } from './ai/cache.js';
import { forgetResults } from './assert/resultsFile.js';
import { compileDestroy, writePrograms } from './compile/compile.js';
import type { OutcomeBase, RunOptions } from './events.js';
import { remainingFolders, removeEmptyFolders } from './folders.js';
import { checkKeyFiles, hostPlan, runLimit } from './hosts.js';
import { acquireLock } from './lock.js';
import { locatePyinfra } from './pyinfra/locate.js';
import { countResults, pyinfraFailure, resourceResults, type ResourceCounts, type ResourceResult } from './pyinfra/results.js';
import { runPyinfra, type PyinfraRun } from './pyinfra/run.js';
import type { Settings } from './settings.js';
import { ANY_HOST, readStateContent, recordKey, writeState, type CreatedFolder, type StateRecord } from './state.js';

/** Options for `destroy`. */
export interface DestroyOptions extends RunOptions {
  /** Keep `.clockwork/` (generated programs, the AI's generated content and its cache) even when everything was removed. */
  keepFiles?: boolean;
}

/** What destroy did. */
export interface DestroyOutcome extends OutcomeBase<'destroy'> {
  /** True when the state listed nothing (to destroy). */
  nothingRecorded: boolean;
  /** Per resource and host. */
  results: ResourceResult[];
  /** How many results removed a resource or failed. */
  counts: ResourceCounts;
  /** What the state still lists afterwards (removals that failed). */
  remaining: StateRecord[];
  /** A failure not tied to one resource. */
  error?: string;
}

/** What a destroy would remove, shown before it runs. */
export interface DestroyPreview {
  /** The recorded resources it removes (one per host). */
  records: StateRecord[];
  /** The folders apply created that it removes once they are empty (those holding its files, or all of them). */
  folders: CreatedFolder[];
  /** True when nothing would be left recorded, so `.clockwork/` goes too (unless kept). */
  removesStateDir: boolean;
  /** How many files of AI-generated content `.clockwork/generated/` holds (lost with it). */
  generatedFiles: number;
}

function countFiles(dir: string): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  return entries.reduce((total, entry) => total + (entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1), 0);
}

/** What `destroy` with these options would remove; reads the state only. */
export function destroyPreview(settings: Pick<Settings, 'stateDir'>, resources?: readonly string[]): DestroyPreview {
  const { resources: records, folders } = readStateContent(settings.stateDir);
  const targets = resources ? records.filter((record) => resources.includes(record.name)) : records;
  const removesStateDir = targets.length > 0 && targets.length === records.length;
  const holds = (folder: CreatedFolder): boolean =>
    targets.some((record) => record.host === folder.host && record.identity.type === 'file' && record.identity.id.startsWith(`${folder.path}${path.sep}`));
  // Previews of generated content live one folder down (per kind); the cache entries beside them are not counted.
  const generated = generatedDir(settings.stateDir);
  const kinds = fs.existsSync(generated) ? fs.readdirSync(generated, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'replaced') : [];
  return {
    records: targets,
    folders: removesStateDir ? folders : folders.filter(holds),
    removesStateDir,
    generatedFiles: kinds.reduce((total, entry) => total + countFiles(path.join(generated, entry.name)), 0),
  };
}

/** Destroys what the state lists (or only the named resources). */
export async function destroy(options: DestroyOptions): Promise<DestroyOutcome> {
  const started = performance.now();
  const { settings, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  const elapsed = (): number => Math.round(performance.now() - started);
  const lock = acquireLock(settings.stateDir, 'destroy');
  let removeFiles = false;
  try {
    const { resources: records, folders, hosts } = readStateContent(settings.stateDir);
    // Each host is reached as the state recorded it: clockwork.ts is not read.
    const placement = hostPlan(undefined, settings, { recorded: hosts, recordedNames: records.map((record) => record.host), only: options.hosts });
    const onHosts = (host: string): boolean => !placement.only || placement.only.includes(host) || host === ANY_HOST;
    const targets = records.filter((record) => (!options.resources || options.resources.includes(record.name)) && onHosts(record.host));
    if (targets.length === 0) {
      return { command: 'destroy', ok: true, cancelled: false, nothingRecorded: true, results: [], counts: countResults([]), remaining: records, durationMs: elapsed() };
    }
    // What no host can hold needs no PyInfra run: there is nothing to remove, so it leaves the state.
    const impossible = targets.filter(cannotExist);
    const removable = targets.filter((record) => !cannotExist(record));
    let results: ResourceResult[] = impossible.map(nothingToRemove);
    let run: PyinfraRun = { exitCode: 0, cancelled: false, hosts: [], outputTail: [], hostLines: new Map(), durationMs: 0 };
    if (removable.length > 0) {
      const pyinfra = locatePyinfra(settings);
      checkKeyFiles(placement.inventory);
      emit({ type: 'step', step: 'compiling', message: `Compiling the removal of ${removable.length} recorded resource(s)` });
      const compiled = compileDestroy(removable, removeEmptyFolders(folders.filter((folder) => onHosts(folder.host))), placement);
      writePrograms(settings.outputDir, [compiled], placement.inventory);
      emit({ type: 'step', step: 'destroying', message: `Removing ${new Set(removable.map(recordKey)).size} resource(s) with PyInfra` });
      run = await runPyinfra({
        pyinfra,
        cwd: settings.outputDir,
        inventory: settings.inventory ?? 'inventory.py',
        program: compiled.fileName,
        limit: runLimit(placement, [...compiled.owners.values()].map((owner) => owner.hosts)),
        ...(signal ? { signal } : {}),
        onOutput: (line) => emit({ type: 'output', source: 'pyinfra', line }),
      });
      results = [...resourceResults(compiled.owners, run, compiled.kept, { inventory: placement.inventory, hosts: placement.only }), ...results];
    }
    emit({ type: 'step', step: 'recording', message: 'Recording what was removed' });
    const removed = new Set(
      results
        .filter((result) => result.status !== 'failed' && result.status !== 'skipped')
        .map((result) => `${recordKey({ kind: result.kind, name: result.resource, identity: result.identity })}\0${result.host}`),
    );
    const remaining = records.filter((record) => !removed.has(`${recordKey(record)}\0${record.host}`));
    // With nothing recorded any more, a folder that still holds something is no longer Clockwork's.
    writeState(settings.stateDir, remaining, remaining.length === 0 ? [] : remainingFolders(folders, run));
    forgetResults(settings.stateDir, targets.filter((record) => !remaining.some((left) => left.kind === record.kind && left.name === record.name)));
    for (const result of results) emit({ type: 'resource', result });
    const failed = results.some((result) => result.status === 'failed' || result.status === 'skipped');
    const error = !failed && run.exitCode !== 0 && !run.cancelled ? pyinfraFailure(run) : undefined;
    const ok = !failed && !run.cancelled && run.exitCode === 0;
    removeFiles = ok && remaining.length === 0 && !options.keepFiles;
    return {
      command: 'destroy',
      ok,
      cancelled: run.cancelled,
      nothingRecorded: false,
      results,
      counts: countResults(results),
      remaining,
      ...(error ? { error } : {}),
      durationMs: elapsed(),
    };
  } finally {
    lock.release();
    if (removeFiles) fs.rmSync(settings.stateDir, { recursive: true, force: true });
  }
}

/**
 * True for a record no host can hold: its name or identity is not valid Unicode, or its identity
 * holds NUL (no path or container name can). PyInfra cannot even be asked about it (it stops on
 * such a string), and nothing was ever made for it, so destroying it is done at once.
 */
function cannotExist(record: StateRecord): boolean {
  return textProblem(record.identity.id, false) !== undefined || textProblem(record.name, true) !== undefined;
}

function nothingToRemove(record: StateRecord): ResourceResult {
  return { resource: record.name, kind: record.kind, identity: record.identity, host: record.host, action: 'remove', status: 'unchanged', executed: false };
}
