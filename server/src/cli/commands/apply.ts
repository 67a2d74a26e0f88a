import { apply } from '../../pipeline/apply.js';
import { resourceLines } from '../../render/lines.js';
import { summaryLine } from '../../render/summary.js';
import { cliSettings, settingOptionHelp, settingOptions } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';
import { cliReporter } from '../report.js';

/** `clockwork apply`: deploy clockwork.ts with PyInfra and record what was created. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'Deploy clockwork.ts with PyInfra, removing what it no longer declares',
  usage: '[--dir DIR] [--resource NAME]... [--json] [--verbose]',
  options: { ...commonOptions, verbose: { type: 'boolean' }, resource: { type: 'string', multiple: true }, ...settingOptions('apply') },
  optionHelp: {
    ...commonOptionHelp,
    verbose: "--verbose      stream PyInfra's output to stderr",
    resource: '--resource NAME  apply only this resource (repeat for more); nothing is removed then',
    ...settingOptionHelp('apply'),
  },
  async run(values, io) {
    const json = Boolean(values['json']);
    const outcome = await apply({
      settings: cliSettings('apply', values, io),
      signal: io.signal,
      ...(Array.isArray(values['resource']) ? { resources: values['resource'] } : {}),
      onEvent: cliReporter(io, { json, verbose: Boolean(values['verbose']) }),
    });
    if (json) {
      io.stdout(JSON.stringify(outcome, null, 2));
    } else {
      const lines = outcome.results.flatMap((result) => resourceLines(result, io.cwd)).map((line) => `  ${line}`);
      lines.push(summaryLine(outcome));
      if (outcome.error) lines.push(outcome.error);
      io.stdout(lines.join('\n'));
    }
    return outcome.ok ? ExitCode.ok : ExitCode.failed;
  },
};
