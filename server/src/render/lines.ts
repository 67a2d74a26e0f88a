/**
 * One line (or a few) per thing a run reports: a resource's result, an assertion's result, an
 * AI generation, a removal. The CLI prints them, the editor's output channel shows them.
 */
import type { GenerationOutcome } from '../pipeline/ai/generate.js';
import { assertionTitle } from '../pipeline/assert/junit.js';
import type { AssertionResult } from '../pipeline/assert/types.js';
import type { ResourceChange } from '../pipeline/compile/changes.js';
import { isKept, type ResourceResult } from '../pipeline/pyinfra/results.js';
import { describeTarget, displayPath } from './text.js';

const RESOURCE_MARK = { changed: '✓', unchanged: '=', failed: '✗', skipped: '✗' } as const;

/** What happened to a resource, in the plan's words: created, changed, unchanged, removed, kept. */
function verbOf(result: ResourceResult): string {
  if (result.action === 'remove') return removalVerb(result);
  if (result.status !== 'changed') return result.status;
  if (result.planned === 'create') return 'created';
  // The plan saw nothing to change, but the host differed (edited by hand, or drifted).
  if (result.planned === 'unchanged') return 'changed (it differed on the host)';
  return 'changed';
}

/**
 * A resource's result (the host is named when it is not @local), its error and what a removal
 * kept indented below.
 */
export function resourceLines(result: ResourceResult, cwd: string): string[] {
  const host = result.host === '@local' ? '' : ` on ${result.host}`;
  const verb = verbOf(result);
  const head = `${RESOURCE_MARK[result.status]} ${result.kind} ${result.resource} → ${describeTarget(result.identity, cwd)}${host}: ${verb}`;
  return [
    head,
    ...(result.error ? result.error.split('\n').map((line) => `    ${line}`) : []),
    ...(result.note ? [`    ${result.note}`] : []),
  ];
}

/** What happened to a resource being removed. */
function removalVerb(result: ResourceResult): string {
  if (result.status === 'failed' || result.status === 'skipped') return 'not removed';
  return isKept(result) ? 'kept' : 'removed';
}

/**
 * Every resource result of a run, each as `resourceLines` shows it, except that a host where
 * everything failed for one reason (it could not be reached, refused the login…) gets one line
 * with that reason, where its first result would be, instead of the same reason for each resource.
 */
export function resultsLines(results: readonly ResourceResult[], cwd: string): string[] {
  const byHost = new Map<string, ResourceResult[]>();
  for (const result of results) byHost.set(result.host, [...(byHost.get(result.host) ?? []), result]);
  const collapsed = new Set(
    [...byHost].filter(([host, list]) => host !== '@local' && list.length > 1 && list.every((result) => result.status === 'failed' && result.error === list[0]?.error)).map(([host]) => host),
  );
  const lines: string[] = [];
  const shown = new Set<string>();
  for (const result of results) {
    if (!collapsed.has(result.host)) {
      lines.push(...resourceLines(result, cwd));
    } else if (!shown.has(result.host)) {
      shown.add(result.host);
      const list = byHost.get(result.host) ?? [];
      const verb = list.every((item) => item.action === 'remove') ? 'removed' : 'deployed';
      lines.push(`✗ ${list.length} resources on ${result.host}: not ${verb}`, ...(result.error ?? '').split('\n').map((line) => `    ${line}`));
    }
  }
  return lines;
}

/** An assertion's result: `✓ web: PortAccessibleAssert (port 8080)`, and why when it did not pass. */
export function assertionLine(result: AssertionResult, options: { showHost: boolean }): string {
  const mark = result.status === 'passed' ? '✓' : '✗';
  const where = options.showHost ? ` on ${result.host}` : '';
  const head = `${mark} ${result.resource}: ${assertionTitle(result)}${where}`;
  if (result.status === 'passed') return head;
  const detail = result.message || `expected ${result.expected}, got ${result.actual || 'nothing'}`;
  return `${head} — ${result.status === 'error' ? `could not run: ${detail}` : detail}`;
}

/** What the AI step did for one resource. */
export function generationLine(outcome: GenerationOutcome, cwd: string): string {
  const subject = `${outcome.kind} ${outcome.name}`;
  const preview = outcome.preview ? displayPath(outcome.preview, cwd) : '';
  switch (outcome.status) {
    case 'not-needed':
      return `– ${subject}: nothing to generate (given in clockwork.ts)`;
    case 'cached':
      return `✓ ${subject}: cached (${outcome.model}, ${outcome.generatedAt}) → ${preview}`;
    case 'generated': {
      const tokens = outcome.usage ? `, ${outcome.usage.totalTokens} tokens` : '';
      return `✓ ${subject}: generated in ${(outcome.durationMs / 1000).toFixed(1)} s${tokens} → ${preview}`;
    }
    default:
      return `✗ ${subject}: failed`;
  }
}

/** A resource apply removes because clockwork.ts no longer declares it. */
export function removalLine(change: ResourceChange, cwd: string): string {
  return `- ${change.kind} ${change.name} → ${describeTarget(change.identity, cwd)}`;
}
