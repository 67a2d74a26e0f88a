/** Finding the `pyinfra` program: the PYINFRA_PATH setting, then PATH, then `clockwork setup`'s venv. */
import * as fs from 'node:fs';
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

/** The absolute path of `pyinfra`, or throws PyinfraMissingError saying how to install it. */
export function locatePyinfra(settings: Pick<Settings, 'pyinfraPath' | 'searchPath' | 'cacheDir' | 'projectDir'>): string {
  if (settings.pyinfraPath !== undefined) {
    const given = path.resolve(settings.projectDir, settings.pyinfraPath);
    if (isExecutable(given)) return given;
    throw new PyinfraMissingError(
      `PYINFRA_PATH is ${settings.pyinfraPath}, which is not an executable program. Point it at pyinfra, or unset it to look on PATH. ${installHint()}`,
    );
  }
  for (const dir of settings.searchPath.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'pyinfra'))) return path.join(dir, 'pyinfra');
  }
  const private_ = path.join(setupVenvDir(settings), 'bin', 'pyinfra');
  if (isExecutable(private_)) return private_;
  throw new PyinfraMissingError(`PyInfra was not found on PATH. ${installHint()}`);
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
