/** Writing files so that a crash never leaves one half written. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `content` to a temporary file beside `file`, flushes it, then renames it over
 * `file`: readers see the old content or the new, never a mix.
 */
export function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = fs.openSync(temporary, 'w');
    try {
      fs.writeFileSync(handle, content);
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Like `writeFileAtomic`, but leaves `file` alone when it already holds `content` (generated
 * programs that did not change cost no write and no fsync). Returns true when it wrote.
 */
export function writeFileAtomicIfChanged(file: string, content: string): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // Missing or unreadable: write it.
  }
  writeFileAtomic(file, content);
  return true;
}
