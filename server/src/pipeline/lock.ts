/**
 * One apply or destroy at a time per project: `.clockwork/lock` holds the pid of the
 * process that runs. A lock left by a process that no longer exists is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClockworkError } from '../model/errors.js';

/** Another Clockwork process holds the project's lock. */
export class LockedError extends ClockworkError {
  override name = 'LockedError';
  readonly exitCode = 1;
}

/** A held lock. */
export interface ProjectLock {
  file: string;
  release(): void;
}

/** Takes the project's lock or throws LockedError at once. */
export function acquireLock(stateDir: string, what: string): ProjectLock {
  const file = path.join(stateDir, 'lock');
  fs.mkdirSync(stateDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return { file, release: () => releaseLock(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readOrEmpty(file), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new LockedError(
        `Another Clockwork run (pid ${holder}) is working on this project (${file}); wait for it to finish before running ${what}. ` +
          `If no Clockwork process is running, delete that file.`,
      );
    }
    // A stale lock (its process is gone, or the file is empty or garbled): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new LockedError(`Another Clockwork run took the lock ${file} at the same moment; try ${what} again.`);
}

function releaseLock(file: string): void {
  if (readOrEmpty(file).trim() === String(process.pid)) fs.rmSync(file, { force: true });
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
