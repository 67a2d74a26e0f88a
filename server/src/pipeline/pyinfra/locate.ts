/**
 * Finding the `pyinfra` program: the PYINFRA_PATH setting, then PATH, then where the usual
 * installers put it, then `clockwork setup`'s environment. The installers' folders matter
 * because an editor started from a desktop menu (or a remote editor server started by a
 * login shell that resets PATH) often does not have the shell's PATH: `pipx install
 * pyinfra` and `uv tool install pyinfra` link it into ~/.local/bin, which such a PATH lacks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { ClockworkError } from '../../model/errors.js';
import type { Settings } from '../settings.js';

/** PyInfra is not installed (exit code 2: the user must install it). */
export class PyinfraMissingError extends ClockworkError {
  override name = 'PyinfraMissingError';
  readonly exitCode = 2;
}

/** The private virtual environment `clockwork setup` creates. */
export function setupVenvDir(settings: Pick<Settings, 'cacheDir'>): string {
  return path.join(settings.cacheDir, 'clockwork', 'pyinfra-venv');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A place `pyinfra` may be, and what puts it there. */
export interface PyinfraCandidate {
  file: string;
  /** Who installs it there, for messages (e.g. `pipx`). */
  source: string;
}

/**
 * Where installers put `pyinfra`, beyond PATH, in the order they are tried: pipx's and uv's
 * bin folders (their environment variables, else ~/.local/bin), Homebrew's on macOS (whose
 * apps started from the Dock get a PATH without it), the tools' own environments (when the
 * link is missing), and `clockwork setup`'s environment.
 */
export function installedCandidates(
  settings: Pick<Settings, 'cacheDir'>,
  environment: NodeJS.ProcessEnv = process.env,
  homeDir: string = environment['HOME'] || os.homedir(),
  platform: NodeJS.Platform = process.platform,
): PyinfraCandidate[] {
  const home = (...parts: string[]): string => path.join(homeDir, ...parts);
  const dataHome = environment['XDG_DATA_HOME'] || home('.local', 'share');
  const bin = (dir: string | undefined, source: string): PyinfraCandidate[] => (dir ? [{ file: path.join(dir, 'pyinfra'), source }] : []);
  const candidates = [
    ...bin(environment['PIPX_BIN_DIR'], 'pipx (PIPX_BIN_DIR)'),
    ...bin(environment['UV_TOOL_BIN_DIR'], 'uv tool (UV_TOOL_BIN_DIR)'),
    ...bin(environment['XDG_BIN_HOME'], 'uv tool (XDG_BIN_HOME)'),
    ...bin(home('.local', 'bin'), 'pipx or uv tool (~/.local/bin)'),
    ...(platform === 'darwin' ? [...bin('/opt/homebrew/bin', 'Homebrew'), ...bin('/usr/local/bin', 'Homebrew')] : []),
    ...bin(environment['PIPX_HOME'] && path.join(environment['PIPX_HOME'], 'venvs', 'pyinfra', 'bin'), 'pipx (PIPX_HOME)'),
    ...bin(home('.local', 'pipx', 'venvs', 'pyinfra', 'bin'), 'pipx'),
    ...bin(path.join(dataHome, 'pipx', 'venvs', 'pyinfra', 'bin'), 'pipx'),
    ...bin(environment['UV_TOOL_DIR'] && path.join(environment['UV_TOOL_DIR'], 'pyinfra', 'bin'), 'uv tool (UV_TOOL_DIR)'),
    ...bin(path.join(dataHome, 'uv', 'tools', 'pyinfra', 'bin'), 'uv tool'),
    ...bin(path.join(setupVenvDir(settings), 'bin'), 'clockwork setup'),
  ];
  const seen = new Set<string>();
  return candidates.filter((candidate) => !seen.has(candidate.file) && seen.add(candidate.file));
}

/**
 * The absolute path of `pyinfra`, or throws PyinfraMissingError. The message's first line
 * says what is wrong and where Clockwork looked (the editor shows it as is); the lines after
 * it say how to install PyInfra from a terminal.
 */
export function locatePyinfra(
  settings: Pick<Settings, 'pyinfraPath' | 'searchPath' | 'cacheDir' | 'projectDir'>,
  environment: NodeJS.ProcessEnv = process.env,
): string {
  if (settings.pyinfraPath !== undefined) {
    const given = path.resolve(settings.projectDir, settings.pyinfraPath);
    if (isExecutable(given)) return given;
    throw new PyinfraMissingError(
      `PYINFRA_PATH is ${settings.pyinfraPath}, which is not an executable program: point it at pyinfra, or unset it to look on PATH.\n${installHint()}`,
    );
  }
  for (const dir of settings.searchPath.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'pyinfra'))) return path.join(dir, 'pyinfra');
  }
  const found = installedCandidates(settings, environment).find((candidate) => isExecutable(candidate.file));
  if (found) return found.file;
  throw new PyinfraMissingError(
    'PyInfra was not found: not on PATH, not where pipx or uv tool put it (~/.local/bin), and not in the environment "clockwork setup" creates.\n' +
      installHint(),
  );
}

function installHint(): string {
  return (
    'Install PyInfra 3 with one of:\n' +
    '  pipx install pyinfra\n' +
    '  uv tool install pyinfra\n' +
    '  clockwork setup    (creates a private virtual environment for Clockwork and installs pyinfra into it)\n' +
    'or set PYINFRA_PATH to the pyinfra program.'
  );
}

/** The version `pyinfra --version` prints (e.g. `3.2`), or undefined when it says none. */
export async function pyinfraVersion(pyinfra: string): Promise<string | undefined> {
  const run = await execa(pyinfra, ['--version'], { reject: false, timeout: 15_000, stdin: 'ignore' });
  return /(\d+\.\d+(?:\.\d+)?)/.exec(`${run.stdout}\n${run.stderr}`)?.[1];
}
