import * as path from 'node:path';
import { loadProject } from '../../pipeline/loader/load.js';
import { planProject, type ProjectPlan } from '../../pipeline/plan.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';

/** `clockwork plan`: what each resource is, where it goes, and what the AI must write. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what clockwork.ts declares and what the AI would fill in, without changing anything',
  usage: '[--dir DIR] [--json]',
  options: { ...commonOptions },
  optionHelp: { ...commonOptionHelp },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
    const settings = resolveSettings({ projectDir, environment: io.environment });
    const project = await loadProject({ target: projectDir, timeoutMs: settings.loadTimeoutMs, signal: io.signal });
    const plan = planProject(project);
    if (values['json']) io.stdout(JSON.stringify(plan, null, 2));
    else io.stdout(renderPlan(plan, io.cwd));
    return ExitCode.ok;
  },
};

/** The human-readable plan. */
export function renderPlan(plan: ProjectPlan, cwd: string): string {
  const lines = [`Plan for ${path.relative(cwd, plan.file) || plan.file}: ${plan.resources.length} resource(s)`];
  for (const resource of plan.resources) {
    const target = resource.target.type === 'file' ? path.relative(cwd, resource.target.id) || resource.target.id : `container ${resource.target.id}`;
    const ai = resource.aiFields.length > 0 ? `  [AI will write: ${resource.aiFields.join(', ')}]` : '';
    lines.push(`  ${resource.kind} ${resource.name} → ${target}${ai}`);
    for (const assertion of resource.assertions) {
      lines.push(`      assert ${assertion.kind}${assertion.label ? ` (${assertion.label})` : ''}`);
    }
  }
  const needAi = plan.resources.filter((resource) => resource.aiFields.length > 0).length;
  lines.push(needAi > 0 ? `${needAi} resource(s) need the AI.` : 'Nothing needs the AI.');
  return lines.join('\n');
}
