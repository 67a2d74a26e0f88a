/**
 * The recorded assertion results CodeLens summarises: `.clockwork/results.json` next to each
 * open clockwork file, read when it changes (polled once a second while documents of that
 * folder are open, or at once when the client says it wrote them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileResults } from '../language/codeLens.js';
import { RESULTS_FILE, type ResultsFile } from '../protocol.js';

interface Cached {
  mtimeMs: number;
  content: ResultsFile | undefined;
}

/** Splits a document URI into its project folder and file name (undefined for non-file URIs). */
export function projectOf(uri: string): { projectDir: string; fileName: string } | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const file = fileURLToPath(uri);
  return { projectDir: path.dirname(file), fileName: path.basename(file) };
}

/** Reads and watches results files. */
export class ResultsStore {
  private readonly cache = new Map<string, Cached>();
  private readonly watched = new Set<string>();

  constructor(private readonly onChange: (projectDir: string) => void) {}

  /** The recorded results of the document's file, if any. */
  resultsFor(uri: string): FileResults | undefined {
    const project = projectOf(uri);
    if (!project) return undefined;
    return this.read(project.projectDir)?.files[project.fileName];
  }

  /** Forgets what was read for a folder (after the client reported new results). */
  invalidate(projectDir: string): void {
    this.cache.delete(projectDir);
  }

  /** Watches the results file of each folder in `projectDirs`, and stops watching the others. */
  watchOnly(projectDirs: ReadonlySet<string>): void {
    for (const dir of projectDirs) {
      if (this.watched.has(dir)) continue;
      this.watched.add(dir);
      fs.watchFile(path.join(dir, RESULTS_FILE), { interval: 1000, persistent: false }, (current, previous) => {
        if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
        this.invalidate(dir);
        this.onChange(dir);
      });
    }
    for (const dir of [...this.watched]) {
      if (projectDirs.has(dir)) continue;
      fs.unwatchFile(path.join(dir, RESULTS_FILE));
      this.watched.delete(dir);
      this.cache.delete(dir);
    }
  }

  /** Stops every watch. */
  dispose(): void {
    this.watchOnly(new Set());
  }

  private read(projectDir: string): ResultsFile | undefined {
    const file = path.join(projectDir, RESULTS_FILE);
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.cache.get(projectDir);
    if (cached && cached.mtimeMs === mtimeMs) return cached.content;
    let content: ResultsFile | undefined;
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ResultsFile>;
      content = parsed && typeof parsed.files === 'object' && parsed.files !== null ? (parsed as ResultsFile) : undefined;
    } catch {
      content = undefined;
    }
    this.cache.set(projectDir, { mtimeMs, content });
    return content;
  }
}
