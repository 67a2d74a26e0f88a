import * as path from 'node:path';
import { loadProject } from '../../pipeline/loader/load.js';
import { completeFromCache, generationStatus } from '../../pipeline/ai/generate.js';
import { planProject, type ProjectPlan } from '../../pipeline/plan.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { readState } from '../../pipeline/state.js';
import { aiExplicitSettings, aiOptionHelp, aiOptions } from '../aiOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';
import { describeTarget, displayPath } from '../renderResults.js';

/** `clockwork plan`: what each resource is, where it goes, and what the AI must write. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what clockwork.ts declares and what the AI would fill in, without changing anything',
  usage: '[--dir DIR] [--json]',
  options: { ...commonOptions, ...aiOptions },
  optionHelp: { ...commonOptionHelp, ...aiOptionHelp },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
    const settings = resolveSettings({ projectDir, environment: io.environment, explicit: aiExplicitSettings(values) });
    const project = await loadProject({ target: projectDir, timeoutMs: settings.loadTimeoutMs, signal: io.signal });
    // Changes are judged on the specs apply would deploy (cached AI answers merged in, as apply
    // records them); whether the AI still has to write a resource's open fields, the cache decides.
    const plan = planProject(completeFromCache(project, settings), readState(settings.stateDir));
    const aiStatus = generationStatus(project, settings);
    plan.resources.forEach((resource, index) => {
      const declared = project.resources[index];
      if (declared) resource.aiFields = declared.definition.openFields(declared.spec);
      resource.ai = aiStatus.get(resource.name) ?? 'none';
    });
    if (values['json']) io.stdout(JSON.stringify(plan, null, 2));
    else io.stdout(renderPlan(plan, io.cwd));
    return ExitCode.ok;
  },
};

/** The mark before each resource: + create, ~ change, = unchanged, - remove (as Terraform). */
const ACTION_MARK = { create: '+', change: '~', unchanged: '=', remove: '-' } as const;

/** Removals and the summary of changes against the recorded state. */
function renderChanges(plan: ProjectPlan, cwd: string): string[] {
  const lines = plan.removals.map((removal) => {
    const target = describeTarget(removal.identity, cwd);
    return `  ${ACTION_MARK.remove} ${removal.kind} ${removal.name} → ${target}  (no longer in clockwork.ts: apply removes it)`;
  });
  const count = (action: string): number => plan.resources.filter((resource) => resource.action === action).length;
  lines.push(`Apply would create ${count('create')}, change ${count('change')}, leave ${count('unchanged')} unchanged and remove ${plan.removals.length}.`);
  return lines;
}

/** The human-readable plan. */
export function renderPlan(plan: ProjectPlan, cwd: string): string {
  const lines = [`Plan for ${displayPath(plan.file, cwd)}: ${plan.resources.length} resource(s)`];
  for (const resource of plan.resources) {
    const target = describeTarget(resource.target, cwd);
    const ai = resource.aiFields.length > 0 ? `  [AI: ${resource.ai ?? 'will generate'} (${resource.aiFields.join(', ')})]` : '';
    lines.push(`  ${ACTION_MARK[resource.action]} ${resource.kind} ${resource.name} → ${target}${ai}`);
    for (const assertion of resource.assertions) {
      lines.push(`      assert ${assertion.kind}${assertion.label ? ` (${assertion.label})` : ''}`);
    }
  }
  lines.push(...renderChanges(plan, cwd));
  const needAi = plan.resources.filter((resource) => resource.aiFields.length > 0 && resource.ai !== 'cached').length;
  const cached = plan.resources.filter((resource) => resource.ai === 'cached').length;
  lines.push(needAi > 0 ? `${needAi} resource(s) need the AI${cached > 0 ? ` (${cached} cached)` : ''}.` : cached > 0 ? `Nothing needs the AI (${cached} cached).` : 'Nothing needs the AI.');
  return lines.join('\n');
}
