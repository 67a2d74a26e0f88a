/** CodeLens above each resource: Apply, Assert, Destroy, and the last recorded assertion results. */
import type { CodeLens } from 'vscode-languageserver-types';
import { ClockworkCommands, type ResourceCommandArgs, type ResourceResultRecord, type ResultsFile } from '../protocol.js';
import type { ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';

/** The recorded results of one clockwork file (an entry of `ResultsFile.files`). */
export type FileResults = ResultsFile['files'][string];

/** `✓ 3/3 assertions`, `✗ 1 failed`, or undefined when nothing was recorded. */
export function resultSummary(record: ResourceResultRecord | undefined): string | undefined {
  if (!record || record.assertions.length === 0) return undefined;
  const total = record.assertions.length;
  const failed = record.assertions.filter((item) => item.status === 'failed' || item.status === 'errored').length;
  if (failed > 0) return `✗ ${failed} failed`;
  const passed = record.assertions.filter((item) => item.status === 'passed').length;
  return `✓ ${passed}/${total} assertion${total === 1 ? '' : 's'}`;
}

/** The lenses of every named resource; `results` are the file's recorded results, if any. */
export function codeLenses(doc: ParsedDocument, results?: FileResults): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const resource of doc.resources) {
    if (resource.name === undefined) continue;
    const start = toRange(doc, { start: resource.range.start, end: resource.range.start });
    const args: ResourceCommandArgs = { uri: doc.uri, resource: resource.name };
    lenses.push(
      { range: start, command: { title: 'Apply', command: ClockworkCommands.apply, arguments: [args] } },
      { range: start, command: { title: 'Assert', command: ClockworkCommands.assert, arguments: [args] } },
      { range: start, command: { title: 'Destroy', command: ClockworkCommands.destroy, arguments: [args] } },
    );
    const record = results?.resources.find((item) => item.name === resource.name && item.kind === resource.kind);
    const summary = resultSummary(record);
    if (summary) lenses.push({ range: start, command: { title: summary, command: '' } });
  }
  return lenses;
}
