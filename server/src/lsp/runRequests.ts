/**
 * The run requests of the language server: `clockwork/run` (plan, apply, assert, destroy,
 * generate, setup), `clockwork/state`, `clockwork/status` and `clockwork/typeDeclarations`.
 * The pipeline runs in this process; cancelling the request aborts it (AI requests aborted,
 * the PyInfra process tree ended). Runs are refused unless the client says the workspace is
 * trusted, since loading clockwork.ts executes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import {
  RunOutputNotification,
  RunProgressNotification,
  RunRequest,
  StateRequest,
  StatusRequest,
  TypeDeclarationsRequest,
  type RunParams,
  type RunResult,
} from '../protocol.js';
import { typeDeclarations } from './declarations.js';
import { recordAssertResults } from './resultsFile.js';
import { classifyRunError } from './runErrors.js';
import { executeRun, projectStatus, stateRecords, type RunReporter } from './runCommands.js';

/** What the server needs to know about runs. */
export interface RunHooks {
  /** Called after `.clockwork/results.json` of a project folder was written. */
  onResultsWritten(projectDir: string): void;
}

/** The message a refused run carries in an untrusted workspace. */
export const UNTRUSTED_MESSAGE =
  'Clockwork does not run in Restricted Mode: running clockwork.ts executes code from this workspace. Trust the workspace to use Plan, Apply, Assert, Destroy and Generate.';

function folderPath(folderUri: string): string {
  return folderUri.startsWith('file:') ? fileURLToPath(folderUri) : folderUri;
}

/** Registers the run requests on the connection. */
export function registerRunRequests(connection: Connection, hooks: RunHooks): void {
  const running = new Map<string, string>();

  connection.onRequest(RunRequest, async (params: RunParams, token: CancellationToken): Promise<RunResult> => {
    const started = performance.now();
    const refuse = (kind: 'untrusted' | 'locked' | 'other', message: string): RunResult => ({
      command: params.command,
      ok: false,
      cancelled: false,
      summary: message,
      error: { kind, message },
      durationMs: Math.round(performance.now() - started),
    });
    if (params.trusted !== true) return refuse('untrusted', UNTRUSTED_MESSAGE);
    const projectDir = folderPath(params.folderUri);
    if (params.command !== 'setup' && !fs.existsSync(path.join(projectDir, 'clockwork.ts'))) {
      return refuse('other', `There is no clockwork.ts in ${projectDir}.`);
    }
    const busy = running.get(projectDir);
    if (busy) return refuse('locked', `A Clockwork run (${busy}) is in progress for ${projectDir}; wait for it to finish or cancel it.`);
    running.set(projectDir, params.command);
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    const reporter: RunReporter = {
      progress: (message, extra) => void connection.sendNotification(RunProgressNotification, { runId: params.runId, message, ...extra }),
      output: (line, level = 'info') => void connection.sendNotification(RunOutputNotification, { runId: params.runId, level, line }),
    };
    try {
      const result = await executeRun(params, projectDir, controller.signal, reporter);
      if (params.command === 'assert' && result.assertions && !controller.signal.aborted) {
        recordAssertResults(projectDir, 'clockwork.ts', result.assertions);
        hooks.onResultsWritten(projectDir);
      }
      return result;
    } catch (error) {
      const classified = classifyRunError(error, controller.signal);
      reporter.output(classified.message, classified.kind === 'cancelled' ? 'warn' : 'error');
      return {
        command: params.command,
        ok: false,
        cancelled: classified.kind === 'cancelled',
        summary: classified.kind === 'cancelled' ? 'Cancelled' : classified.message.split('\n')[0] ?? 'Failed',
        error: classified,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      cancellation.dispose();
      running.delete(projectDir);
    }
  });

  connection.onRequest(StateRequest, (params) => {
    if (params.trusted !== true) return [];
    return stateRecords(folderPath(params.folderUri), params.settings, params.resources);
  });

  connection.onRequest(StatusRequest, (params) => projectStatus(folderPath(params.folderUri), params.settings, params.trusted === true));

  connection.onRequest(TypeDeclarationsRequest, () => typeDeclarations());
}
