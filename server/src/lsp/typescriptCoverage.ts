/**
 * Whether a TypeScript server sees Clockwork's type declarations for a document, so the
 * language features leave to it what it already reports and offers (language/featureOptions.ts).
 * True when the client says a TypeScript server runs on the same files (the VS Code client
 * does; other editors may, through `initializationOptions`) and TypeScript would resolve
 * `clockwork` for it: the nearest tsconfig.json (or jsconfig.json) includes the document and a
 * declaration file with `declare module 'clockwork'` (what `clockwork init` writes), or a
 * `clockwork` package sits in node_modules. TypeScript's own config reading decides what a
 * config includes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** How long an answer is reused (the files appear when the user runs `clockwork init`). */
const RECHECK_MS = 2_000;

const DECLARES_CLOCKWORK = /declare\s+module\s+['"]clockwork['"]/;

function packageInstalled(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'clockwork', 'package.json'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function configDeclaresClockwork(file: string): boolean {
  const folder = path.dirname(file);
  const config = ts.findConfigFile(folder, ts.sys.fileExists, 'tsconfig.json') ?? ts.findConfigFile(folder, ts.sys.fileExists, 'jsconfig.json');
  if (!config) return false;
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) return false;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(config));
  const included = (name: string): boolean => path.resolve(name) === path.resolve(file);
  if (!parsed.fileNames.some(included)) return false;
  return parsed.fileNames.some((name) => name.endsWith('.d.ts') && DECLARES_CLOCKWORK.test(fs.readFileSync(name, 'utf8')));
}

/** Answers, per document, whether TypeScript covers Clockwork's types there. */
export class TypeScriptCoverage {
  private readonly answers = new Map<string, { covered: boolean; at: number }>();

  constructor(private readonly clientRunsTypeScript: boolean) {}

  /** True when a TypeScript server reports and completes from Clockwork's declarations for `uri`. */
  covers(uri: string): boolean {
    if (!this.clientRunsTypeScript || !uri.startsWith('file:')) return false;
    const file = fileURLToPath(uri);
    const known = this.answers.get(file);
    const now = performance.now();
    if (known && now - known.at < RECHECK_MS) return known.covered;
    let covered = false;
    try {
      covered = packageInstalled(path.dirname(file)) || configDeclaresClockwork(file);
    } catch {
      // An unreadable config: TypeScript would not see the declarations either.
    }
    this.answers.set(file, { covered, at: now });
    return covered;
  }
}
