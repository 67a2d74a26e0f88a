/**
 * `clockwork setup`: a private virtual environment (python3 -m venv under the user's cache
 * folder) with `pyinfra>=3,<4` installed by pip. `locatePyinfra` finds it after PATH.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { ClockworkError } from '../../model/errors.js';
import type { Settings } from '../settings.js';
import { setupVenvDir } from './locate.js';

/** The requirement `clockwork setup` installs. */
export const PYINFRA_REQUIREMENT = 'pyinfra>=3,<4';

/** Setup failed (exit code 1: the work failed). */
export class SetupError extends ClockworkError {
  override name = 'SetupError';
  readonly exitCode = 1;
}

/** Options for `setupPyinfra`. */
export interface SetupOptions {
  settings: Pick<Settings, 'cacheDir' | 'searchPath'>;
  onOutput?: (line: string) => void;
  signal?: AbortSignal;
  /** pip's network timeout per attempt, in seconds (default 15). */
  pipTimeoutSeconds?: number;
  /** How often pip retries a failed download (default 2). */
  pipRetries?: number;
}

/** What setup did. */
export interface SetupResult {
  venvDir: string;
  pyinfra: string;
}

/** Creates the venv (when missing) and installs PyInfra into it. */
export async function setupPyinfra(options: SetupOptions): Promise<SetupResult> {
  const venvDir = setupVenvDir(options.settings);
  const python = path.join(venvDir, 'bin', 'python');
  const common = {
    reject: false,
    stdin: 'ignore',
    all: true,
    env: { PATH: options.settings.searchPath, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    forceKillAfterDelay: 2000,
    stdout: ['pipe', { transform: sink(options.onOutput) }],
    stderr: ['pipe', { transform: sink(options.onOutput) }],
  } as const;
  if (!fs.existsSync(python)) {
    fs.mkdirSync(path.dirname(venvDir), { recursive: true });
    const venv = await execa('python3', ['-m', 'venv', venvDir], common);
    if (venv.exitCode !== 0) {
      throw new SetupError(
        `Could not create a virtual environment at ${venvDir} with "python3 -m venv" (${venv.failed && venv.exitCode === undefined ? venv.shortMessage : `exit code ${venv.exitCode}`}):\n${lastLines(venv.all)}\n` +
          'Install Python 3 with its venv module (Debian/Ubuntu: apt-get install python3-venv), or install PyInfra yourself: pipx install pyinfra',
      );
    }
  }
  const timeout = String(options.pipTimeoutSeconds ?? 15);
  const pip = await execa(python, ['-m', 'pip', 'install', '--timeout', timeout, '--retries', String(options.pipRetries ?? 2), PYINFRA_REQUIREMENT], common);
  if (pip.exitCode !== 0) {
    throw new SetupError(
      `pip could not install ${PYINFRA_REQUIREMENT} into ${venvDir} (exit code ${pip.exitCode ?? pip.signal}). pip said:\n${lastLines(pip.all)}\n` +
        'Is the Python package index (PyPI) reachable from here? Check the network or pip\'s proxy settings (PIP_INDEX_URL), ' +
        'or install PyInfra another way (pipx install pyinfra, uv tool install pyinfra) and set PYINFRA_PATH.',
    );
  }
  return { venvDir, pyinfra: path.join(venvDir, 'bin', 'pyinfra') };
}

function sink(onOutput: ((line: string) => void) | undefined) {
  return function* (line: unknown): Generator<string> {
    onOutput?.(String(line));
    yield String(line);
  };
}

function lastLines(text: string | undefined, count = 8): string {
  const lines = (text ?? '').split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-count).map((line) => `  ${line}`).join('\n') || '  (no output)';
}
