/**
 * PyInfra in the editor: is it there before a run starts, and when it is not, one message
 * that says so in full with the actions that fix it (Install PyInfra, the
 * `clockwork.pyinfraPath` setting), instead of the CLI's advice.
 */
import * as vscode from 'vscode';
import { StatusRequest, type StatusResult } from '../../server/src/protocol.js';
import type { ClockworkClient } from './languageClient.js';
import type { Project } from './projects.js';
import { runSettings } from './settings.js';
import type { Ui } from './ui.js';

/** The actions a missing PyInfra notification offers. */
export const PYINFRA_ACTIONS = ['Install PyInfra', 'Open Settings', 'Show Output'];

/**
 * What is wrong, for the editor: the server's first line, with the setting named as the
 * editor names it when the user set `clockwork.pyinfraPath`.
 */
export function pyinfraProblemText(serverMessage: string, folder: vscode.Uri): string {
  const given = runSettings(folder).pyinfraPath;
  if (given !== undefined && serverMessage.startsWith('PYINFRA_PATH is')) {
    return `The clockwork.pyinfraPath setting is ${given}, which is not an executable program.`;
  }
  return serverMessage.split('\n')[0] ?? serverMessage;
}

/** The whole message: what needs PyInfra, what is wrong, and what fixes it. */
export function pyinfraMissingMessage(title: string, serverMessage: string, folder: vscode.Uri): string {
  return (
    `Clockwork: ${title} needs PyInfra 3. ${pyinfraProblemText(serverMessage, folder)} ` +
    'Install it with "Install PyInfra" (a private environment for Clockwork), or set clockwork.pyinfraPath to the pyinfra you use.'
  );
}

/** Shows the message with its actions. */
export function offerPyinfra(ui: Ui, output: vscode.LogOutputChannel, severity: 'warning' | 'error', message: string): void {
  ui.notify(severity, message, PYINFRA_ACTIONS, (choice) => {
    if (choice === 'Install PyInfra') void vscode.commands.executeCommand('clockwork.installPyinfra');
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'clockwork.pyinfraPath');
    else output.show(true);
  });
}

/** PyInfra's status for a project (undefined when the server cannot say). */
export async function pyinfraStatus(clockwork: ClockworkClient, project: Project): Promise<StatusResult['pyinfra'] | undefined> {
  try {
    await clockwork.ready();
    const status = await clockwork.client.sendRequest(StatusRequest, {
      folderUri: project.folder.toString(),
      trusted: vscode.workspace.isTrusted,
      settings: runSettings(project.folder),
    });
    return status.pyinfra;
  } catch {
    return undefined;
  }
}
