/**
 * Writes `.clockwork/results.json` after an assert run (the file CodeLens summarises and the
 * language server watches). Entries of resources and assertions not checked are kept.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../pipeline/atomicWrite.js';
import {
  RESULTS_FILE,
  type AssertionResultRecord,
  type ResourceResultRecord,
  type ResultsFile,
  type WireAssertionResult,
} from '../protocol.js';

function readResults(file: string): ResultsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ResultsFile>;
    if (parsed.version === 1 && parsed.files && typeof parsed.files === 'object') return parsed as ResultsFile;
  } catch {
    // Missing or garbled: start afresh.
  }
  return { version: 1, files: {} };
}

const WORST: Record<AssertionResultRecord['status'], number> = { passed: 0, skipped: 1, failed: 2, errored: 3 };

/** One record per assertion: the worst status over its hosts, with that host's details. */
function assertionRecords(results: readonly WireAssertionResult[]): AssertionResultRecord[] {
  const byIndex = new Map<number, AssertionResultRecord>();
  for (const result of results) {
    const status = result.status === 'error' ? 'errored' : result.status;
    const record: AssertionResultRecord = {
      kind: result.assertion.kind,
      index: result.assertion.index,
      status,
      ...(result.message ? { message: result.message } : {}),
      ...(result.expected ? { expected: result.expected } : {}),
      ...(result.actual ? { actual: result.actual } : {}),
      durationMs: result.durationMs,
    };
    const previous = byIndex.get(record.index);
    if (!previous || WORST[record.status] > WORST[previous.status]) byIndex.set(record.index, record);
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Merges an assert run's results into the project's results file. */
export function recordAssertResults(projectDir: string, fileName: string, results: readonly WireAssertionResult[]): void {
  const file = path.join(projectDir, RESULTS_FILE);
  const content = readResults(file);
  const entry = content.files[fileName] ?? { resources: [] };
  const checkedAt = new Date().toISOString();
  const byResource = new Map<string, WireAssertionResult[]>();
  for (const result of results) byResource.set(result.resource, [...(byResource.get(result.resource) ?? []), result]);
  for (const [name, resourceResults] of byResource) {
    const fresh = assertionRecords(resourceResults);
    const previous = entry.resources.find((record) => record.name === name);
    const kept = (previous?.assertions ?? []).filter((old) => !fresh.some((record) => record.index === old.index));
    const record: ResourceResultRecord = {
      name,
      kind: resourceResults[0]?.kind ?? previous?.kind ?? '',
      checkedAt,
      assertions: [...kept, ...fresh].sort((a, b) => a.index - b.index),
    };
    entry.resources = [...entry.resources.filter((other) => other.name !== name), record];
  }
  content.files[fileName] = entry;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
}
