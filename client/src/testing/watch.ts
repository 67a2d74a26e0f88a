/**
 * The continuous run profile: re-runs the selection when clockwork.ts is saved and every
 * `clockwork.watchInterval` minutes (drift watch for live infrastructure), until cancelled.
 */
import * as vscode from 'vscode';
import { isClockworkFile } from '../projects.js';
import { watchIntervalMinutes } from '../settings.js';

/** Runs `runOnce` now, on every save of a selected file and on the timer, until `token` is cancelled. */
export async function watchRuns(
  request: vscode.TestRunRequest,
  files: ReadonlySet<string>,
  token: vscode.CancellationToken,
  runOnce: (request: vscode.TestRunRequest, token: vscode.CancellationToken) => Promise<void>,
): Promise<void> {
  let queued: Promise<void> = Promise.resolve();
  const again = (): void => {
    queued = queued.then(() => runOnce(new vscode.TestRunRequest(request.include, request.exclude, request.profile, true), token));
  };
  const disposables: vscode.Disposable[] = [
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (isClockworkFile(document.uri) && (request.include === undefined || files.has(document.uri.toString()))) again();
    }),
  ];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const minutes = folder ? watchIntervalMinutes(folder) : 5;
  if (minutes > 0) {
    const timer = setInterval(again, minutes * 60_000);
    disposables.push({ dispose: () => clearInterval(timer) });
  }
  again();
  await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
  for (const disposable of disposables) disposable.dispose();
}
