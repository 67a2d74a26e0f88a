/** Temporary project folders for tests, removed after each test file. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];

/** Creates a temporary folder holding `files` (relative path → content) and returns its path. */
export function makeProject(files: Record<string, string>, prefix = 'clockwork-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** Removes every folder made by makeProject. Call from an `after` hook. */
export function removeProjects(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The repository's root folder. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
