import * as path from 'node:path';
import { setupPyinfra, PYINFRA_REQUIREMENT } from '../../pipeline/pyinfra/setup.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { ExitCode, type Command } from '../command.js';

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
    const settings = resolveSettings({ projectDir: path.resolve(io.cwd), environment: io.environment });
    if (!values['json']) io.stdout(`Installing ${PYINFRA_REQUIREMENT} into a virtual environment under ${settings.cacheDir}…`);
    const result = await setupPyinfra({
      settings,
      signal: io.signal,
      ...(values['verbose'] ? { onOutput: (line: string) => io.stderr(line) } : {}),
    });
    if (values['json']) io.stdout(JSON.stringify({ ok: true, ...result }, null, 2));
    else io.stdout(`✓ PyInfra installed: ${result.pyinfra}\nClockwork finds it there when pyinfra is not on PATH.`);
    return ExitCode.ok;
  },
};
