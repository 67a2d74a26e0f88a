/** Human-readable lines for apply and destroy results. */
import * as path from 'node:path';
import type { ResourceIdentity } from '../model/define.js';
import type { ResourceResult } from '../pipeline/pyinfra/results.js';

/** A resource's target for people: a path relative to `cwd`, or `container NAME`. */
export function describeTarget(identity: ResourceIdentity, cwd: string): string {
  return identity.type === 'file' ? displayPath(identity.id, cwd) : `container ${identity.id}`;
}

const MARK = { changed: '✓', unchanged: '=', failed: '✗' } as const;

/** One line per result (the host is shown when it is not @local), errors indented below. */
export function renderResults(results: readonly ResourceResult[], cwd: string): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const host = result.host === '@local' ? '' : ` on ${result.host}`;
    const verb = result.action === 'remove' ? (result.status === 'failed' ? 'not removed' : 'removed') : result.status;
    lines.push(`  ${MARK[result.status]} ${result.kind} ${result.resource} → ${describeTarget(result.identity, cwd)}${host}: ${verb}`);
    if (result.error) lines.push(...result.error.split('\n').map((line) => `      ${line}`));
  }
  return lines;
}

/** `2 changed, 1 unchanged, 1 removed`. */
export function summarize(results: readonly ResourceResult[]): string {
  const count = (predicate: (result: ResourceResult) => boolean): number => results.filter(predicate).length;
  const parts = [
    [count((r) => r.action === 'deploy' && r.status === 'changed'), 'changed'],
    [count((r) => r.action === 'deploy' && r.status === 'unchanged'), 'unchanged'],
    [count((r) => r.action === 'remove' && r.status !== 'failed'), 'removed'],
    [count((r) => r.status === 'failed'), 'failed'],
  ] as const;
  return parts.filter(([n], index) => n > 0 || index < 2).map(([n, label]) => `${n} ${label}`).join(', ');
}

/** A path as people want to read it: relative when it lies inside `cwd`, absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
