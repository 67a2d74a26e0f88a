/**
 * The recorded assertion results CodeLens summarises: `.clockwork/results.json` beside each
 * clockwork file, written by every assert run (the editor's and the CLI's) and by destroy.
 * The server learns that one changed through LSP's `workspace/didChangeWatchedFiles` (the
 * client watches `**∕.clockwork/results.json`); reads are cached by modification time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecordedResults, resultsFile, RESULTS_FILE_NAME, type RecordedResults } from '../pipeline/assert/resultsFile.js';
import type { FileResults } from '../language/codeLens.js';

/** The glob the client watches for the server. */
export const RESULTS_GLOB = `**/.clockwork/${RESULTS_FILE_NAME}`;

interface Cached {
  mtimeMs: number;
  content: RecordedResults;
}

/** Splits a document URI into its project folder and file name (undefined for non-file URIs). */
export function projectOf(uri: string): { projectDir: string; fileName: string } | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const file = fileURLToPath(uri);
  return { projectDir: path.dirname(file), fileName: path.basename(file) };
}

/** The project folder whose results file `uri` is, or undefined for any other file. */
export function resultsFileProject(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const file = fileURLToPath(uri);
  if (path.basename(file) !== RESULTS_FILE_NAME || path.basename(path.dirname(file)) !== '.clockwork') return undefined;
  return path.dirname(path.dirname(file));
}

/** Reads results files, cached by modification time. */
export class ResultsStore {
  private readonly cache = new Map<string, Cached>();

  /** The recorded results of the document's file, if any. */
  resultsFor(uri: string): FileResults | undefined {
    const project = projectOf(uri);
    if (!project) return undefined;
    return this.read(project.projectDir)?.files[project.fileName];
  }

  /** Forgets what was read for a folder (its results file changed). */
  invalidate(projectDir: string): void {
    this.cache.delete(projectDir);
  }

  private read(projectDir: string): RecordedResults | undefined {
    const stateDir = path.join(projectDir, '.clockwork');
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(resultsFile(stateDir)).mtimeMs;
    } catch {
      this.cache.delete(projectDir);
      return undefined;
    }
    const cached = this.cache.get(projectDir);
    if (cached && cached.mtimeMs === mtimeMs) return cached.content;
    const content = readRecordedResults(stateDir);
    this.cache.set(projectDir, { mtimeMs, content });
    return content;
  }
}
