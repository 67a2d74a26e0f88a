/** CodeLens above each resource: Apply, Assert, Destroy, and the last recorded assertion results. */
import type { CodeLens, Range } from 'vscode-languageserver-types';
import { ClockworkCommands, type ResourceCommandArgs } from '../protocol.js';
import type { ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';

/** What CodeLens reads of one resource's recorded results (an entry of `.clockwork/results.json`). */
export interface RecordedResourceView {
  /** The resource's name (a computed one too). */
  name: string;
  kind: string;
  /** When it was last checked (ISO 8601). */
  checkedAt?: string;
  /** Where the resource is written (0-based), when the run knew it. */
  location?: { line: number; character: number };
  assertions: readonly { status: 'passed' | 'failed' | 'errored' | 'skipped' }[];
}

/** The recorded results of one clockwork file. */
export interface FileResults {
  resources: readonly RecordedResourceView[];
}

/**
 * `✓ 3/3 assertions`, `✗ 1 failed`, or undefined when nothing was recorded. Several records
 * (a resource declared once and built several times, e.g. in a loop) are summed up.
 */
export function resultSummary(records: readonly RecordedResourceView[]): string | undefined {
  const assertions = records.flatMap((record) => record.assertions);
  if (assertions.length === 0) return undefined;
  const instances = records.length > 1 ? ` (${records.length} resources)` : '';
  const failed = assertions.filter((item) => item.status === 'failed' || item.status === 'errored').length;
  if (failed > 0) return `✗ ${failed} failed${instances}`;
  const passed = assertions.filter((item) => item.status === 'passed').length;
  return `✓ ${passed}/${assertions.length} assertion${assertions.length === 1 ? '' : 's'}${instances}`;
}

function inside(position: { line: number; character: number }, range: Range): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

/**
 * The records of a resource written at `range`: by its literal name when it has one, else by
 * where the run saw it constructed (a name computed at run time is unknown to the static parse).
 */
export function recordsAt(
  resource: { name: string | undefined; kind: string },
  range: Range,
  results: FileResults | undefined,
): RecordedResourceView[] {
  const records = (results?.resources ?? []).filter((record) => record.kind === resource.kind);
  if (resource.name !== undefined) return records.filter((record) => record.name === resource.name);
  return records.filter((record) => record.location !== undefined && inside(record.location, range));
}

/**
 * The lenses of every resource; `results` are the file's recorded results, if any. A
 * resource without a literal name (built in a loop) gets only its results: the commands
 * act on one resource by name.
 */
export function codeLenses(doc: ParsedDocument, results?: FileResults): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const resource of doc.resources) {
    const start = toRange(doc, { start: resource.range.start, end: resource.range.start });
    if (resource.name !== undefined) {
      const args: ResourceCommandArgs = { uri: doc.uri, resource: resource.name };
      lenses.push(
        { range: start, command: { title: 'Apply', command: ClockworkCommands.apply, arguments: [args] } },
        { range: start, command: { title: 'Assert', command: ClockworkCommands.assert, arguments: [args] } },
        { range: start, command: { title: 'Destroy', command: ClockworkCommands.destroy, arguments: [args] } },
      );
    }
    const records = recordsAt(resource, toRange(doc, resource.range), results);
    const summary = resultSummary(records);
    const checkedAt = records.map((record) => record.checkedAt ?? '').sort().at(-1);
    if (summary) lenses.push({ range: start, command: { title: summary, command: '', ...(checkedAt ? { tooltip: `Last checked ${checkedAt}` } : {}) } });
  }
  return lenses;
}
