/** Runs the built `clockwork` CLI (dist/cli.cjs) as a user would. */
import * as path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './tempProject.js';

/** What a CLI run produced. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `clockwork ...args` in `cwd` with extra environment variables. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const result = await execa(process.execPath, [path.join(repoRoot, 'dist/cli.cjs'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { LOG_LEVEL: undefined, OPENROUTER_API_KEY: undefined, ...options.env },
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
