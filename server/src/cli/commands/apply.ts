import { apply } from '../../pipeline/apply.js';
import { resultsLines } from '../../render/lines.js';
import { summaryLine } from '../../render/summary.js';
import { cliSettings, settingOptionHelp, settingOptions } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, hostOption, hostOptionHelp, selectedHosts, type Command } from '../command.js';
import { cliReporter } from '../report.js';

/** `clockwork apply`: deploy clockwork.ts with PyInfra and record what was created. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'Deploy clockwork.ts with PyInfra, removing what it no longer declares',
  usage: '[--dir DIR] [--resource NAME]... [--host NAME]... [--json] [--verbose]',
  options: { ...commonOptions, verbose: { type: 'boolean' }, resource: { type: 'string', multiple: true }, ...hostOption, ...settingOptions('apply') },
  optionHelp: {
    ...commonOptionHelp,
    verbose: "--verbose      stream PyInfra's output to stderr",
    resource: '--resource NAME  apply only this resource (repeat for more); nothing is removed then',
    ...hostOptionHelp('deploy only to this host, and remove only from it'),
    ...settingOptionHelp('apply'),
  },
  async run(values, io) {
    const json = Boolean(values['json']);
    const outcome = await apply({
      settings: cliSettings('apply', values, io),
      signal: io.signal,
      ...(Array.isArray(values['resource']) ? { resources: values['resource'] } : {}),
      ...selectedHosts(values),
      onEvent: cliReporter(io, { json, verbose: Boolean(values['verbose']) }),
    });
    if (json) {
      io.stdout(JSON.stringify(outcome, null, 2));
    } else {
      const lines = resultsLines(outcome.results, io.cwd).map((line) => `  ${line}`);
      lines.push(summaryLine(outcome));
      if (outcome.error) lines.push(outcome.error);
      io.stdout(lines.join('\n'));
    }
    return outcome.ok ? ExitCode.ok : ExitCode.failed;
  },
};
