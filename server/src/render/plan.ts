/** A plan as text: every resource with where it goes and what the AI writes, then what apply would change. */
import type { PlanOutcome } from '../pipeline/plan.js';
import { summaryLine } from './summary.js';
import { describeTarget, displayPath } from './text.js';

/** The mark before each resource: + create, ~ change, = unchanged, - remove (as Terraform). */
const ACTION_MARK = { create: '+', change: '~', unchanged: '=', remove: '-' } as const;

/** ` on web1, web2`: where a resource goes, when that is not just this machine. */
function onHosts(hosts: readonly string[] | undefined): string {
  return hosts && hosts.some((host) => host !== '@local') ? ` on ${hosts.join(', ')}` : '';
}

/** The human-readable plan. */
export function renderPlan(outcome: PlanOutcome, cwd: string): string {
  const { plan, counts } = outcome;
  const lines = [`Plan for ${displayPath(plan.file, cwd)}: ${plan.resources.length} resource(s)`];
  for (const resource of plan.resources) {
    const target = describeTarget(resource.target, cwd);
    const ai = resource.aiFields.length > 0 ? `  [AI: ${resource.ai ?? 'will generate'} (${resource.aiFields.join(', ')})]` : '';
    lines.push(`  ${ACTION_MARK[resource.action]} ${resource.kind} ${resource.name} → ${target}${onHosts(resource.hosts)}${ai}`);
    if (resource.leaving) lines.push(`      leaves ${resource.leaving.join(', ')}: apply removes it there`);
    for (const assertion of resource.assertions) {
      lines.push(`      assert ${assertion.kind}${assertion.label ? ` (${assertion.label})` : ''}`);
    }
  }
  for (const removal of plan.removals) {
    lines.push(`  ${ACTION_MARK.remove} ${removal.kind} ${removal.name} → ${describeTarget(removal.identity, cwd)}${onHosts(removal.hosts)}  (no longer in clockwork.ts: apply removes it)`);
  }
  lines.push(summaryLine(outcome));
  const { needAi, cachedAi } = counts;
  lines.push(needAi > 0 ? `${needAi} resource(s) need the AI${cachedAi > 0 ? ` (${cachedAi} cached)` : ''}.` : cachedAi > 0 ? `Nothing needs the AI (${cachedAi} cached).` : 'Nothing needs the AI.');
  return lines.join('\n');
}
