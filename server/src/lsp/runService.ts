/**
 * Runs for an editor, however it asks (`clockwork/run` today; any other request can reuse it):
 * refused unless the workspace is trusted (loading clockwork.ts executes it), one at a time per
 * project folder, cancelled by the request's token, errors classified for the editor's actions.
 * (Assert results are recorded by the pipeline itself, for the CLI's runs too.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver/node';
import type { RunReporter } from '../pipeline/events.js';
import type { RunErrorKind, RunParams, RunResult } from '../protocol.js';
import { classifyRunError } from './runErrors.js';
import { executeRun } from './runCommands.js';

/** A run an editor asks for: `clockwork/run`'s params without the client's progress token. */
export type EditorRunRequest = Omit<RunParams, 'runId'>;

/** The message a refused run carries in an untrusted workspace. */
export const UNTRUSTED_MESSAGE =
  'Clockwork does not run in Restricted Mode: running clockwork.ts executes code from this workspace. Trust the workspace to use Plan, Apply, Assert, Destroy and Generate.';

/** A folder URI (or path) as a path. */
export function folderPath(folderUri: string): string {
  return folderUri.startsWith('file:') ? fileURLToPath(folderUri) : folderUri;
}

/** Runs commands for editors, one at a time per project folder. */
export class RunService {
  private readonly running = new Map<string, string>();

  /** Runs `request`, reporting to `reporter`. Never throws: a failure is a result with `error`. */
  async run(request: EditorRunRequest, reporter: RunReporter, token: CancellationToken): Promise<RunResult> {
    const started = performance.now();
    const failed = (kind: RunErrorKind, message: string, summary = message): RunResult => ({
      command: request.command,
      ok: false,
      cancelled: kind === 'cancelled',
      summary,
      error: { kind, message },
      durationMs: Math.round(performance.now() - started),
    });
    if (request.trusted !== true) return failed('untrusted', UNTRUSTED_MESSAGE);
    const projectDir = folderPath(request.folderUri);
    if (request.command !== 'setup' && !fs.existsSync(path.join(projectDir, 'clockwork.ts'))) {
      return failed('other', `There is no clockwork.ts in ${projectDir}.`);
    }
    const busy = this.running.get(projectDir);
    if (busy) return failed('locked', `A Clockwork run (${busy}) is in progress for ${projectDir}; wait for it to finish or cancel it.`);
    this.running.set(projectDir, request.command);
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      return await executeRun(request, projectDir, controller.signal, reporter);
    } catch (error) {
      const classified = classifyRunError(error, controller.signal);
      // The reason reaches the log too, so whoever shows the run shows why it stopped.
      reporter({ type: 'note', message: classified.message, level: classified.kind === 'cancelled' ? 'warn' : 'error' });
      return failed(classified.kind, classified.message, classified.kind === 'cancelled' ? 'Cancelled' : (classified.message.split('\n')[0] ?? 'Failed'));
    } finally {
      cancellation.dispose();
      this.running.delete(projectDir);
    }
  }
}
