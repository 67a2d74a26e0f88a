import { destroy } from '../../pipeline/destroy.js';
import { resultsLines } from '../../render/lines.js';
import { summaryLine } from '../../render/summary.js';
import { cliSettings } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, hostOption, hostOptionHelp, selectedHosts, type Command } from '../command.js';
import { cliReporter } from '../report.js';

/** `clockwork destroy`: remove exactly what apply recorded, without clockwork.ts or the AI. */
export const destroyCommand: Command = {
  name: 'destroy',
  summary: 'Remove everything apply created, as recorded in .clockwork/state.json',
  usage: '[--dir DIR] [--host NAME]... [--json] [--keep-files] [--verbose]',
  options: { ...commonOptions, 'keep-files': { type: 'boolean' }, verbose: { type: 'boolean' }, ...hostOption },
  optionHelp: {
    ...commonOptionHelp,
    'keep-files': '--keep-files   keep .clockwork/ (generated programs, AI cache) after everything is removed',
    verbose: "--verbose      stream PyInfra's output to stderr",
    ...hostOptionHelp('remove only what is recorded on this host'),
  },
  async run(values, io) {
    const json = Boolean(values['json']);
    const outcome = await destroy({
      settings: cliSettings('destroy', values, io),
      signal: io.signal,
      keepFiles: Boolean(values['keep-files']),
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
