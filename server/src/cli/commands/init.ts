import * as fs from 'node:fs';
import * as path from 'node:path';
import { typeDeclarations } from '../../model/typeDeclarations.js';
import { starterFiles } from '../../starterFiles.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';

/** The text of `file`, or undefined when there is no such file. */
function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * `clockwork init`: the starter files VS Code's "Clockwork: Init Project" writes (one source:
 * starterFiles.ts), so the `clockwork` import resolves for the TypeScript server of any editor.
 */
export const initCommand: Command = {
  name: 'init',
  summary: 'Start a project: a starter clockwork.ts, types/clockwork.d.ts and tsconfig.json (so any editor resolves the clockwork import), .clockwork/ in .gitignore',
  usage: '[--dir DIR] [--json]',
  options: { ...commonOptions },
  optionHelp: { ...commonOptionHelp },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, typeof values['dir'] === 'string' ? values['dir'] : '.');
    fs.mkdirSync(projectDir, { recursive: true });
    const files = starterFiles((name) => readIfPresent(path.join(projectDir, name)), typeDeclarations());
    for (const file of files) {
      const target = path.join(projectDir, ...file.path.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.text);
    }
    const written = files.map((file) => file.path);
    if (values['json']) {
      io.stdout(JSON.stringify({ ok: true, projectDir, written }, null, 2));
    } else {
      io.stdout(`✓ Wrote ${written.join(', ')} in ${projectDir}`);
      if (!written.includes('clockwork.ts')) io.stdout('  (clockwork.ts and tsconfig.json were already there and are kept; types/clockwork.d.ts is regenerated)');
      io.stdout('Next: clockwork plan, then clockwork apply. Commit types/clockwork.d.ts and tsconfig.json so every editor resolves "clockwork".');
    }
    return ExitCode.ok;
  },
};
