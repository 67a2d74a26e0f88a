/** The editor's Clockwork settings of a folder, as explicit overrides for the server. */
import * as vscode from 'vscode';
import type { RunSettings } from '../../server/src/protocol.js';

/** The value the user set (folder, workspace or user level), ignoring package.json defaults. */
function userValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/**
 * Settings the user set for `folder`. Defaults are left out, so the environment and `.env`
 * still apply to what the user did not set (VS Code settings > environment > .env > defaults).
 */
export function runSettings(folder: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration('clockwork', folder);
  const settings: RunSettings = {};
  const text = (key: 'model' | 'baseUrl' | 'pyinfraPath' | 'outputDir' | 'logLevel'): void => {
    const value = userValue<string>(config, key);
    if (typeof value === 'string' && value.trim() !== '') settings[key] = value.trim();
  };
  text('model');
  text('baseUrl');
  text('pyinfraPath');
  text('outputDir');
  text('logLevel');
  const concurrency = userValue<number>(config, 'aiConcurrency');
  if (typeof concurrency === 'number') settings.aiConcurrency = concurrency;
  return settings;
}

/** `clockwork.confirmApply` for a folder (default true). */
export function confirmApply(folder: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('clockwork', folder).get<boolean>('confirmApply', true);
}

/** `clockwork.watchInterval` in minutes for a folder (0 turns the timer off). */
export function watchIntervalMinutes(folder: vscode.Uri): number {
  return vscode.workspace.getConfiguration('clockwork', folder).get<number>('watchInterval', 5);
}
