import * as path from 'node:path';
import { apply } from '../../pipeline/apply.js';
import type { PipelineEvent } from '../../pipeline/events.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { aiExplicitSettings, aiOptionHelp, aiOptions } from '../aiOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command, type CommandIo } from '../command.js';
import { describeTarget, renderResults, summarize } from '../renderResults.js';

/** `clockwork apply`: deploy clockwork.ts with PyInfra and record what was created. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'Deploy clockwork.ts with PyInfra, removing what it no longer declares',
  usage: '[--dir DIR] [--resource NAME]... [--json] [--verbose]',
  options: { ...commonOptions, verbose: { type: 'boolean' }, resource: { type: 'string', multiple: true }, ...aiOptions },
  optionHelp: {
    ...commonOptionHelp,
    verbose: "--verbose      stream PyInfra's output to stderr",
    resource: '--resource NAME  apply only this resource (repeat for more); nothing is removed then',
    ...aiOptionHelp,
  },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
    const settings = resolveSettings({ projectDir, environment: io.environment, explicit: aiExplicitSettings(values) });
    const json = Boolean(values['json']);
    const result = await apply({
      settings,
      signal: io.signal,
      ...(Array.isArray(values['resource']) ? { resources: values['resource'] } : {}),
      onEvent: (event) => reportEvent(event, json, io),
      ...(values['verbose'] ? { onOutput: (line: string) => io.stderr(line) } : {}),
    });
    if (json) {
      io.stdout(JSON.stringify(result, null, 2));
    } else {
      const lines = renderResults(result.results, io.cwd);
      if (result.ok) lines.push(`✓ Deployment successful (${summarize(result.results)})`);
      else if (result.cancelled) lines.push('✗ Deployment cancelled; what had already run is recorded in .clockwork/state.json');
      else {
        const failed = result.results.filter((r) => r.status === 'failed').map((r) => `${r.kind} ${r.resource}`);
        lines.push(`✗ Deployment failed${failed.length > 0 ? `: ${failed.join(', ')}` : ''} (${summarize(result.results)})`);
        if (result.error) lines.push(result.error);
      }
      io.stdout(lines.join('\n'));
    }
    return result.ok ? ExitCode.ok : ExitCode.failed;
  },
};

function reportEvent(event: PipelineEvent, json: boolean, io: CommandIo): void {
  if (json) return;
  if (event.step === 'removing' && event.changes) {
    const lines = [`${event.message}:`, ...event.changes.map((change) => `  - ${change.kind} ${change.name} → ${describeTarget(change.identity, io.cwd)}`)];
    io.stdout(lines.join('\n'));
  } else if (event.step === 'deploying' || event.step === 'generating') {
    io.stdout(`${event.message}…`);
  }
}
