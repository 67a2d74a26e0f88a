/**
 * Mocha global setup: rebuild dist/ once before any test, so tests that run the bundles
 * (the CLI, the loader's child process, the language server) never see stale code.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export function mochaGlobalSetup(): void {
  execFileSync(process.execPath, [path.join(import.meta.dirname, '../../esbuild.mjs')], { stdio: 'inherit' });
}
