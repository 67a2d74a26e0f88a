import { PYINFRA_REQUIREMENT } from '../../pipeline/pyinfra/setup.js';
import { run } from '../../pipeline/run.js';
import { summaryLine } from '../../render/summary.js';
import { cliSettings } from '../settingOptions.js';
import { ExitCode, type Command } from '../command.js';
import { cliReporter } from '../report.js';

/** `clockwork setup`: install PyInfra into a private virtual environment. */
export const setupCommand: Command = {
  name: 'setup',
  summary: `Install PyInfra (${PYINFRA_REQUIREMENT}) into a private virtual environment in your cache folder`,
  usage: '[--json] [--verbose]',
  options: { json: { type: 'boolean' }, verbose: { type: 'boolean' } },
  optionHelp: {
    json: '--json         print one JSON document on stdout and nothing else there',
    verbose: "--verbose      stream python's and pip's output to stderr",
  },
  async run(values, io) {
    const json = Boolean(values['json']);
    const outcome = await run('setup', { settings: cliSettings('setup', values, io), signal: io.signal, onEvent: cliReporter(io, { json, verbose: Boolean(values['verbose']) }) });
    if (json) io.stdout(JSON.stringify({ ok: outcome.ok, venvDir: outcome.venvDir, pyinfra: outcome.pyinfra }, null, 2));
    else io.stdout(`${summaryLine(outcome)}\nClockwork finds it there when pyinfra is not on PATH.`);
    return ExitCode.ok;
  },
};
