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
  assertions: readonly {
    status: 'passed' | 'failed' | 'errored' | 'skipped';
    /** Each host's own status, for an assertion checked on hosts other than this machine alone. */
    hosts?: readonly { host: string; status: 'passed' | 'failed' | 'errored' | 'skipped' }[];
  }[];
}

/** The recorded results of one clockwork file. */
export interface FileResults {
  resources: readonly RecordedResourceView[];
}

/**
 * `✓ 3/3 assertions`, `✗ 1 failed`, or undefined when nothing was recorded. Several records
 * (a resource declared once and built several times, e.g. in a loop) are summed up. On hosts,
 * each assertion counts once per host: `✓ 4/4 on 2 hosts`, `✗ 1 failed on web2`.
 */
export function resultSummary(records: readonly RecordedResourceView[]): string | undefined {
  type Check = { host: string | undefined; status: 'passed' | 'failed' | 'errored' | 'skipped' };
  const checks: Check[] = records.flatMap((record) =>
    record.assertions.flatMap((item): Check[] => (item.hosts && item.hosts.length > 0 ? [...item.hosts] : [{ host: undefined, status: item.status }])),
  );
  if (checks.length === 0) return undefined;
  const instances = records.length > 1 ? ` (${records.length} resources)` : '';
  const named = (list: readonly { host: string | undefined }[]): string[] => [...new Set(list.flatMap((check) => (check.host && check.host !== '@local' ? [check.host] : [])))].sort();
  const failing = checks.filter((item) => item.status === 'failed' || item.status === 'errored');
  if (failing.length > 0) {
    const where = named(failing);
    return `✗ ${failing.length} failed${where.length > 0 ? ` on ${where.join(', ')}` : ''}${instances}`;
  }
  const passed = checks.filter((item) => item.status === 'passed').length;
  const hosts = named(checks);
  const where = hosts.length > 1 ? ` on ${hosts.length} hosts` : hosts.length === 1 ? ` assertion${checks.length === 1 ? '' : 's'} on ${hosts[0]}` : ` assertion${checks.length === 1 ? '' : 's'}`;
  return `✓ ${passed}/${checks.length}${where}${instances}`;
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
    // Where it goes (its targets, written literally).
    const hosts = [...new Set(resource.targets.flatMap((host) => (host.name !== undefined ? [host.name] : [])))];
    if (hosts.length > 0) lenses.push({ range: start, command: { title: `on ${hosts.join(', ')}`, command: '', tooltip: 'The hosts this resource goes to (targets)' } });
    const records = recordsAt(resource, toRange(doc, resource.range), results);
    const summary = resultSummary(records);
    const checkedAt = records.map((record) => record.checkedAt ?? '').sort().at(-1);
    if (summary) lenses.push({ range: start, command: { title: summary, command: '', ...(checkedAt ? { tooltip: `Last checked ${checkedAt}` } : {}) } });
  }
  return lenses;
}
