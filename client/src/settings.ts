/** The editor's Clockwork settings of a folder, read by the keys of the settings table (server/src/configuration.ts). */
import * as vscode from 'vscode';
import { RUN_SETTING_IDS, SETTINGS, type RunSettings } from '../../server/src/protocol.js';

/** The value the user set (folder, workspace or user level), ignoring package.json defaults. */
function userValue(folder: vscode.Uri, key: string): unknown {
  const inspected = vscode.workspace.getConfiguration(undefined, folder).inspect(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/**
 * Settings the user set for `folder`. Defaults are left out, so the environment and `.env`
 * still apply to what the user did not set (VS Code settings > environment > .env > defaults).
 */
export function runSettings(folder: vscode.Uri): RunSettings {
  const settings: Record<string, string | number | boolean> = {};
  for (const id of RUN_SETTING_IDS) {
    const value = userValue(folder, SETTINGS[id].vscode.key);
    if (typeof value === 'string' && value.trim() !== '') settings[id] = value.trim();
    else if (typeof value === 'number' || typeof value === 'boolean') settings[id] = value;
  }
  return settings as RunSettings;
}

/** `clockwork.confirmApply` for a folder. */
export function confirmApply(folder: vscode.Uri): boolean {
  const { key, default: fallback } = SETTINGS.confirmApply.vscode;
  return vscode.workspace.getConfiguration(undefined, folder).get<boolean>(key, fallback);
}

/** `clockwork.watchInterval` in minutes for a folder (0 turns the timer off). */
export function watchIntervalMinutes(folder: vscode.Uri): number {
  const { key, default: fallback } = SETTINGS.watchInterval.vscode;
  return vscode.workspace.getConfiguration(undefined, folder).get<number>(key, fallback);
}
