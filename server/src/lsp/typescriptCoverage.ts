/**
 * Whether a TypeScript server sees Clockwork's type declarations for a document, so the
 * language features leave to it what it already reports and offers (language/featureOptions.ts).
 * True when the client says a TypeScript server runs on the same files (the VS Code client
 * does; other editors may, through `initializationOptions`) and the project has the
 * declarations `clockwork init` writes: `types/clockwork.d.ts` beside a tsconfig.json or
 * jsconfig.json, in the document's folder or one above it, or a `clockwork` package in node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TYPE_DECLARATIONS_PATH } from '../protocol.js';

/** How long an answer for a folder is reused (files appear when the user runs `clockwork init`). */
const RECHECK_MS = 2_000;

function declarationsReachable(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'clockwork', 'package.json'))) return true;
    const config = fs.existsSync(path.join(dir, 'tsconfig.json')) || fs.existsSync(path.join(dir, 'jsconfig.json'));
    if (config) return fs.existsSync(path.join(dir, ...TYPE_DECLARATIONS_PATH.split('/')));
    if (path.dirname(dir) === dir) return false;
  }
}

/** Answers, per document, whether TypeScript covers Clockwork's types there. */
export class TypeScriptCoverage {
  private readonly answers = new Map<string, { covered: boolean; at: number }>();

  constructor(private readonly clientRunsTypeScript: boolean) {}

  /** True when a TypeScript server reports and completes from Clockwork's declarations for `uri`. */
  covers(uri: string): boolean {
    if (!this.clientRunsTypeScript || !uri.startsWith('file:')) return false;
    const folder = path.dirname(fileURLToPath(uri));
    const known = this.answers.get(folder);
    const now = performance.now();
    if (known && now - known.at < RECHECK_MS) return known.covered;
    const covered = declarationsReachable(folder);
    this.answers.set(folder, { covered, at: now });
    return covered;
  }
}
