/**
 * `.clockwork/results.json`: the latest result of every assertion, written after each assert
 * run (the CLI's and the editor's alike) and trimmed by destroy. The editor's CodeLens
 * summaries read it; a change to it is what refreshes them, whoever ran the checks.
 *
 * Each record keeps the resource's name and where the resource and the assertion are written
 * in clockwork.ts (0-based line and character, as the editor counts): the editor joins a
 * record to a resource by its literal name when it has one, else by that position, so a
 * resource built in a loop (whose name is computed) still gets its results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../../model/location.js';
import { writeFileAtomic } from '../atomicWrite.js';
import type { LoadedProject } from '../loader/load.js';
import type { AssertionResult } from './types.js';

/** The file name inside `.clockwork/`. */
export const RESULTS_FILE_NAME = 'results.json';

/** A 0-based position in clockwork.ts. */
export interface RecordedPosition {
  line: number;
  character: number;
}

/** The outcome of one assertion, worst over its hosts. */
export type RecordedStatus = 'passed' | 'failed' | 'errored' | 'skipped';

/** One host's result of an assertion. */
export interface RecordedHostStatus {
  host: string;
  status: RecordedStatus;
  /** Why it failed or errored there. */
  message?: string;
}

/** The recorded result of one assertion. */
export interface RecordedAssertion {
  kind: string;
  /** Position in the resource's `assertions` array (or among its default checks). */
  index: number;
  status: RecordedStatus;
  /** Why it failed or errored. */
  message?: string;
  expected?: string;
  actual?: string;
  durationMs?: number;
  /** Where the assertion is written (a default check: where its resource is). */
  location?: RecordedPosition;
  /** Each host's own status, for an assertion checked on hosts other than this machine alone. */
  hosts?: RecordedHostStatus[];
}

/** The recorded results of one resource's assertions. */
export interface RecordedResource {
  /** The resource's `name` (computed names included). */
  name: string;
  kind: string;
  /** When it was last checked (ISO 8601). */
  checkedAt: string;
  /** Where the resource is written (the `new` of its construction). */
  location?: RecordedPosition;
  assertions: RecordedAssertion[];
}

/** The content of the file: per clockwork file name (e.g. `clockwork.ts`), its resources' results. */
export interface RecordedResults {
  version: 1;
  files: Record<string, { resources: RecordedResource[] }>;
}

/** The path of the results file of a project's `.clockwork/` folder. */
export function resultsFile(stateDir: string): string {
  return path.join(stateDir, RESULTS_FILE_NAME);
}

/** What the file records; empty when it is missing or unreadable (it is only a record of past runs). */
export function readRecordedResults(stateDir: string): RecordedResults {
  try {
    const parsed = JSON.parse(fs.readFileSync(resultsFile(stateDir), 'utf8')) as Partial<RecordedResults>;
    if (parsed.version === 1 && parsed.files && typeof parsed.files === 'object') return parsed as RecordedResults;
  } catch {
    // Missing or garbled: start afresh.
  }
  return { version: 1, files: {} };
}

const WORST: Record<RecordedStatus, number> = { passed: 0, skipped: 1, failed: 2, errored: 3 };

/** A position in `file`, 0-based; undefined for a location in another file. */
function positionIn(file: string, location: SourceLocation | undefined): RecordedPosition | undefined {
  if (!location || path.resolve(location.file) !== path.resolve(file)) return undefined;
  return { line: location.line - 1, character: Math.max(0, location.column - 1) };
}

/**
 * One record per assertion: the worst status over its hosts, with that host's details, and each
 * host's status when it ran on hosts other than this machine alone. The hosts a run did not
 * check keep their earlier status (`previous`), so checking one host leaves the others' alone.
 */
function assertionRecords(file: string, results: readonly AssertionResult[], previous: readonly RecordedAssertion[] = []): RecordedAssertion[] {
  const records = worstRecords(file, results);
  for (const record of records) {
    const fresh = results.filter((result) => result.assertion.index === record.index);
    if (fresh.every((result) => result.host === '@local')) continue;
    const checked: RecordedHostStatus[] = fresh.map((result) => ({
      host: result.host,
      status: result.status === 'error' ? 'errored' : result.status,
      ...(result.status !== 'passed' && result.message ? { message: result.message } : {}),
    }));
    const kept = (previous.find((old) => old.index === record.index)?.hosts ?? []).filter((old) => !checked.some((item) => item.host === old.host));
    const hosts = [...kept, ...checked].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    record.hosts = hosts;
    const worst = hosts.reduce((a, b) => (WORST[b.status] > WORST[a.status] ? b : a));
    if (WORST[worst.status] > WORST[record.status]) Object.assign(record, { status: worst.status, ...(worst.message ? { message: worst.message } : {}) });
  }
  return records;
}

function worstRecords(file: string, results: readonly AssertionResult[]): RecordedAssertion[] {
  const byIndex = new Map<number, RecordedAssertion>();
  for (const result of results) {
    const status: RecordedStatus = result.status === 'error' ? 'errored' : result.status;
    const location = positionIn(file, result.location);
    const record: RecordedAssertion = {
      kind: result.assertion.kind,
      index: result.assertion.index,
      status,
      ...(result.message ? { message: result.message } : {}),
      ...(result.expected ? { expected: result.expected } : {}),
      ...(result.actual ? { actual: result.actual } : {}),
      durationMs: result.durationMs,
      ...(location ? { location } : {}),
    };
    const previous = byIndex.get(record.index);
    if (!previous || WORST[record.status] > WORST[previous.status]) byIndex.set(record.index, record);
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

function write(stateDir: string, content: RecordedResults): void {
  writeFileAtomic(resultsFile(stateDir), `${JSON.stringify(content, null, 2)}\n`);
}

/**
 * Merges an assert run's results into the file: the entries of the resources and assertions
 * it checked are replaced, the others kept.
 */
export function recordResults(stateDir: string, project: LoadedProject, results: readonly AssertionResult[]): void {
  if (results.length === 0) return;
  const fileName = path.basename(project.file);
  const content = readRecordedResults(stateDir);
  const entry = content.files[fileName] ?? { resources: [] };
  const checkedAt = new Date().toISOString();
  const byResource = new Map<string, AssertionResult[]>();
  for (const result of results) byResource.set(result.resource, [...(byResource.get(result.resource) ?? []), result]);
  for (const [name, resourceResults] of byResource) {
    const kind = resourceResults[0]?.kind ?? '';
    const previous = entry.resources.find((record) => record.name === name && record.kind === kind);
    const fresh = assertionRecords(project.file, resourceResults, previous?.assertions);
    const kept = (previous?.assertions ?? []).filter((old) => !fresh.some((record) => record.index === old.index));
    const location = positionIn(project.file, project.resources.find((resource) => resource.name === name)?.location);
    const record: RecordedResource = {
      name,
      kind,
      checkedAt,
      ...(location ? { location } : {}),
      assertions: [...kept, ...fresh].sort((a, b) => a.index - b.index),
    };
    entry.resources = [...entry.resources.filter((other) => other !== previous), record];
  }
  content.files[fileName] = entry;
  write(stateDir, content);
}

/**
 * Forgets the results of resources that were destroyed: what was checked of them no longer
 * tells anything. Removes the file when nothing is left.
 */
export function forgetResults(stateDir: string, resources: readonly { kind: string; name: string }[]): void {
  const file = resultsFile(stateDir);
  if (!fs.existsSync(file)) return;
  const gone = new Set(resources.map((resource) => `${resource.kind}\0${resource.name}`));
  const content = readRecordedResults(stateDir);
  let left = 0;
  for (const entry of Object.values(content.files)) {
    entry.resources = entry.resources.filter((record) => !gone.has(`${record.kind}\0${record.name}`));
    left += entry.resources.length;
  }
  if (left === 0) fs.rmSync(file, { force: true });
  else write(stateDir, content);
}
