import * as path from 'node:path';
import { destroy } from '../../pipeline/destroy.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';
import { renderResults } from '../renderResults.js';

/** `clockwork destroy`: remove exactly what apply recorded, without clockwork.ts or the AI. */
export const destroyCommand: Command = {
  name: 'destroy',
  summary: 'Remove everything apply created, as recorded in .clockwork/state.json',
  usage: '[--dir DIR] [--json] [--keep-files] [--verbose]',
  options: { ...commonOptions, 'keep-files': { type: 'boolean' }, verbose: { type: 'boolean' } },
  optionHelp: {
    ...commonOptionHelp,
    'keep-files': '--keep-files   keep .clockwork/ (generated programs, AI cache) after everything is removed',
    verbose: "--verbose      stream PyInfra's output to stderr",
  },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
    const settings = resolveSettings({ projectDir, environment: io.environment });
    const result = await destroy({
      settings,
      signal: io.signal,
      keepFiles: Boolean(values['keep-files']),
      ...(values['verbose'] ? { onOutput: (line: string) => io.stderr(line) } : {}),
    });
    if (values['json']) {
      io.stdout(JSON.stringify(result, null, 2));
    } else if (result.nothingRecorded) {
      io.stdout('Nothing to destroy: .clockwork/state.json records no resources.');
    } else {
      const lines = renderResults(result.results, io.cwd);
      if (result.ok) lines.push(`✓ Destroyed ${result.results.length} resource(s)`);
      else if (result.cancelled) lines.push(`✗ Destroy cancelled; ${result.remaining.length} resource(s) still recorded`);
      else {
        lines.push(`✗ Destroy failed: ${result.remaining.length} resource(s) are still recorded in .clockwork/state.json`);
        if (result.error) lines.push(result.error);
      }
      io.stdout(lines.join('\n'));
    }
    return result.ok ? ExitCode.ok : ExitCode.failed;
  },
};
