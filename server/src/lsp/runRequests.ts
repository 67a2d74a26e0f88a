/**
 * The run requests of the language server: `clockwork/run` (plan, apply, assert, destroy,
 * generate, setup), `clockwork/state`, `clockwork/status` and `clockwork/typeDeclarations`.
 * The pipeline runs in this process (see runService.ts); cancelling the request aborts it (AI
 * requests aborted, the PyInfra process tree ended).
 */
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { RunRequest, StateRequest, StatusRequest, TypeDeclarationsRequest, type RunParams, type RunResult } from '../protocol.js';
import { typeDeclarations } from '../model/typeDeclarations.js';
import { destroyPreviewOf, projectStatus } from './runCommands.js';
import { notificationReporter } from './runProgress.js';
import { folderPath, RunService } from './runService.js';

export { UNTRUSTED_MESSAGE } from './runService.js';

/** Registers the run requests on the connection; returns the service that runs them. */
export function registerRunRequests(connection: Connection): RunService {
  const runs = new RunService();

  connection.onRequest(RunRequest, (params: RunParams, token: CancellationToken): Promise<RunResult> => {
    const { runId, ...request } = params;
    return runs.run(request, notificationReporter(connection, runId, folderPath(params.folderUri)), token);
  });

  connection.onRequest(StateRequest, (params) => {
    if (params.trusted !== true) return { records: [], folders: [], removesStateDir: false, generatedFiles: 0 };
    return destroyPreviewOf(folderPath(params.folderUri), params.settings, params.resources);
  });

  connection.onRequest(StatusRequest, (params) => projectStatus(folderPath(params.folderUri), params.settings, params.trusted === true));

  connection.onRequest(TypeDeclarationsRequest, () => typeDeclarations());

  return runs;
}
