/**
 * Failed assertions as diagnostics at their declarations, for editors without a Testing panel
 * (Assert through `workspace/executeCommand`): the assertion's `new …(…)` carries what was
 * expected against what was found. Placed from the current parse by resource name and
 * position in `assertions: [ … ]`, so they follow edits; a resource's default checks go on
 * the resource's class name.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ParsedDocument } from './parsedDocument.js';
import { toRange } from './textPositions.js';

/** The `source` of assertion diagnostics (language diagnostics use `clockwork`). */
export const ASSERTION_SOURCE = 'clockwork assert';

/** One assertion that did not pass on one host. */
export interface AssertionFailure {
  resource: string;
  /** The assertion's class, e.g. `FileContentMatchesAssert`. */
  kind: string;
  /** Its position in the resource's `assertions` array. */
  index: number;
  /** A default check of a resource that declares no assertions. */
  isDefault: boolean;
  host: string;
  status: 'failed' | 'error';
  message: string;
  expected: string;
  actual: string;
  /** 0-based line the loader saw it on, used when the parse cannot place it. */
  line?: number;
}

function messageOf(failure: AssertionFailure): string {
  const lines = [`${failure.kind} ${failure.status === 'error' ? 'could not run' : 'failed'} on ${failure.host}${failure.message ? `: ${failure.message}` : ''}`];
  if (failure.expected) lines.push(`expected: ${failure.expected}`);
  if (failure.actual) lines.push(`actual: ${failure.actual}`);
  return lines.join('\n');
}

/** The diagnostics of `failures` in `doc`. */
export function assertionDiagnostics(doc: ParsedDocument, failures: readonly AssertionFailure[]): Diagnostic[] {
  return failures.flatMap((failure): Diagnostic[] => {
    const resource = doc.resources.find((candidate) => candidate.name === failure.resource);
    let range: Diagnostic['range'] | undefined;
    if (resource && failure.isDefault) range = toRange(doc, resource.classRange);
    else if (resource) {
      const position = resource.assertionIndexes.indexOf(failure.index);
      const assertion = resource.assertions[position];
      if (assertion) range = toRange(doc, assertion.range);
    }
    if (!range && failure.line !== undefined) range = { start: { line: failure.line, character: 0 }, end: { line: failure.line, character: 0 } };
    if (!range) return [];
    return [
      {
        range,
        severity: failure.status === 'error' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
        source: ASSERTION_SOURCE,
        code: failure.status === 'error' ? 'assertion-error' : 'assertion-failed',
        message: messageOf(failure),
      },
    ];
  });
}
