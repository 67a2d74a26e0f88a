/** The one line that sums up a run, from its outcome's counts: the same words in the CLI and the editor. */
import type { ResourceCounts, ResourceResult } from '../pipeline/pyinfra/results.js';
import type { RunCommand, RunOutcome, RunOutcomes } from '../pipeline/run.js';

/** `2 created, 1 unchanged, 1 removed`, in the plan's words; only what happened (`nothing` when nothing did). */
export function describeCounts(counts: ResourceCounts): string {
  const parts = [
    [counts.created, 'created'],
    [counts.changed, 'changed'],
    [counts.unchanged, 'unchanged'],
    [counts.removed, 'removed'],
    [counts.kept, 'kept'],
    [counts.failed, 'failed'],
    [counts.skipped, 'not run'],
  ] as const;
  return parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`).join(', ') || 'nothing to do';
}

/** `FileResource motd on web2, web3` for each resource that failed somewhere (hosts other than @local named). */
function failedResources(results: readonly ResourceResult[]): string[] {
  const hosts = new Map<string, string[]>();
  for (const result of results) {
    if (result.status !== 'failed') continue;
    const key = `${result.kind} ${result.resource}`;
    hosts.set(key, [...(hosts.get(key) ?? []), ...(result.host === '@local' ? [] : [result.host])]);
  }
  return [...hosts].map(([resource, on]) => (on.length > 0 ? `${resource} on ${[...new Set(on)].join(', ')}` : resource));
}

const summaries: { [C in RunCommand]: (outcome: RunOutcomes[C]) => string } = {
  plan: ({ counts }) => `Apply would create ${counts.create}, change ${counts.change}, leave ${counts.unchanged} unchanged and remove ${counts.remove}.`,
  generate: ({ ok, counts, requests }) => {
    if (counts.cached + counts.generated + counts.failed === 0) return '✓ Nothing needs the AI: every value is given in clockwork.ts.';
    return `${ok ? '✓' : '✗'} ${counts.generated} generated, ${counts.cached} cached, ${counts.failed} failed (${requests} AI request(s))`;
  },
  apply: ({ ok, cancelled, counts, results }) => {
    if (ok) return `✓ Deployment successful (${describeCounts(counts)})`;
    if (cancelled) return '✗ Deployment cancelled; what had already run is recorded in .clockwork/state.json';
    const failed = failedResources(results);
    return `✗ Deployment failed${failed.length > 0 ? `: ${failed.join('; ')}` : ''} (${describeCounts(counts)})`;
  },
  destroy: ({ ok, cancelled, nothingRecorded, counts, remaining }) => {
    if (nothingRecorded) return 'Nothing to destroy: .clockwork/state.json records no resources.';
    if (ok) return `✓ Destroyed ${counts.removed} resource(s)${counts.kept > 0 ? `, kept ${counts.kept}` : ''}`;
    if (cancelled) return `✗ Destroy cancelled; ${remaining.length} resource(s) still recorded`;
    return `✗ Destroy failed: ${remaining.length} resource(s) are still recorded in .clockwork/state.json`;
  },
  assert: ({ ok, counts }) => {
    if (counts.total === 0) return 'No assertions to check.';
    if (ok) return `✓ All assertions passed (${counts.total})`;
    const parts = [counts.failed > 0 ? `${counts.failed} failed` : '', counts.error > 0 ? `${counts.error} could not run` : ''].filter(Boolean);
    return `✗ ${parts.join(', ')} of ${counts.total} assertions (${counts.passed} passed)`;
  },
  setup: ({ pyinfra }) => `✓ PyInfra installed: ${pyinfra}`,
};

/** The line that sums up a run, e.g. `✓ Deployment successful (2 created, 1 unchanged)`. */
export function summaryLine(outcome: RunOutcome): string {
  return summaryOf(outcome.command, outcome);
}

function summaryOf<C extends RunCommand>(command: C, outcome: RunOutcome): string {
  return summaries[command](outcome as RunOutcomes[C]);
}
