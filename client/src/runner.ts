/**
 * Runs a command in the language server (`clockwork/run`): one run at a time per project,
 * under a cancellable progress notification whose steps come from `clockwork/progress`, with
 * the run's output in the "Clockwork" log channel. Refuses in Restricted Mode.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import {
  RunOutputNotification,
  RunProgressNotification,
  RunRequest,
  type RunCommand,
  type RunOutputParams,
  type RunParams,
  type RunProgressParams,
  type RunResult,
} from '../../server/src/protocol.js';
import type { ClockworkClient } from './languageClient.js';
import type { Project } from './projects.js';
import { offerPyinfra, pyinfraMissingMessage } from './pyinfra.js';
import { runSettings } from './settings.js';
import type { Ui } from './ui.js';

/** Titles of the commands, for messages. */
export const COMMAND_TITLES: Record<RunCommand, string> = {
  plan: 'Plan',
  apply: 'Apply',
  assert: 'Assert',
  destroy: 'Destroy',
  generate: 'Generate',
  setup: 'Install PyInfra',
};

/** Why Clockwork refuses to run in Restricted Mode. */
export const RESTRICTED_MESSAGE =
  'is unavailable in Restricted Mode: it runs clockwork.ts, which executes code from this workspace. Trust the workspace to use it.';

/** `Clockwork: <summary> in <project>.`, the summary's own full stop dropped. */
export function doneMessage(result: RunResult, project: Project): string {
  return `Clockwork: ${result.summary.replace(/\.$/, '')} in ${project.label}.`;
}

/** Options of one run. */
export interface RunOptions {
  resources?: string[];
  assertions?: { resource: string; index: number }[];
  /** Only on these hosts. */
  hosts?: string[];
  force?: boolean;
  /** destroy: keep `.clockwork/` when everything was removed. */
  keepFiles?: boolean;
  /** Receives every progress notification of the run (the Testing panel uses the results). */
  onProgress?: (params: RunProgressParams) => void;
  /** Receives every output line of the run (it also goes to the "Clockwork" log). */
  onOutput?: (line: string, level: RunOutputParams['level']) => void;
  /** Cancellation from elsewhere (the Testing panel); without it the progress notification has a Cancel button. */
  token?: vscode.CancellationToken;
  /** Where progress shows (default: a notification). */
  location?: vscode.ProgressLocation;
  /** Do not report failures with a notification (the caller does). */
  quiet?: boolean;
}

/** The outcome of the last run, for the status item. */
export interface LastRun {
  project: Project;
  result: RunResult;
  at: Date;
}

/** Runs commands in the language server. */
export class Runner implements vscode.Disposable {
  private readonly busy = new Map<string, RunCommand>();
  private readonly listeners = new Map<string, (params: RunProgressParams) => void>();
  private readonly outputListeners = new Map<string, (line: string, level: RunOutputParams['level']) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lastRunEmitter = new vscode.EventEmitter<LastRun>();
  /** Fires after every run. */
  readonly onDidRun = this.lastRunEmitter.event;
  /** The latest run. */
  lastRun: LastRun | undefined;

  constructor(
    private readonly clockwork: ClockworkClient,
    private readonly output: vscode.LogOutputChannel,
    private readonly ui: Ui,
  ) {
    const client = clockwork.client;
    this.disposables.push(
      client.onNotification(RunProgressNotification, (params) => this.listeners.get(params.runId)?.(params)),
      client.onNotification(RunOutputNotification, ({ runId, level, line }) => {
        this.output[level](line);
        this.outputListeners.get(runId)?.(line, level);
      }),
      this.lastRunEmitter,
    );
  }

  /** The command running for a project, if any. */
  running(project: Project): RunCommand | undefined {
    return this.busy.get(project.folder.toString());
  }

  /** Runs `command` for `project`. Never throws: failures come back as a result with `error`. */
  async run(command: RunCommand, project: Project, options: RunOptions = {}): Promise<RunResult> {
    const title = COMMAND_TITLES[command];
    const refused = (kind: 'untrusted' | 'locked', message: string): RunResult => ({
      command,
      ok: false,
      cancelled: false,
      summary: message,
      error: { kind, message },
      durationMs: 0,
    });
    if (!vscode.workspace.isTrusted) {
      const message = `Clockwork: ${title} ${RESTRICTED_MESSAGE}`;
      this.ui.notify('warning', message, ['Manage Workspace Trust'], () => void vscode.commands.executeCommand('workbench.trust.manage'));
      return refused('untrusted', message);
    }
    const key = project.folder.toString();
    const current = this.busy.get(key);
    if (current) {
      const message = `Clockwork: ${COMMAND_TITLES[current]} is in progress for ${project.label}; wait for it to finish or cancel it.`;
      this.ui.notify('info', message);
      return refused('locked', message);
    }
    this.busy.set(key, command);
    const runId = crypto.randomUUID();
    const params: RunParams = {
      command,
      runId,
      folderUri: project.folder.toString(),
      trusted: vscode.workspace.isTrusted,
      settings: runSettings(project.folder),
      ...(options.resources ? { resources: options.resources } : {}),
      ...(options.assertions ? { assertions: options.assertions } : {}),
      ...(options.hosts ? { hosts: options.hosts } : {}),
      ...(options.force ? { force: true } : {}),
      ...(options.keepFiles ? { keepFiles: true } : {}),
    };
    const scope = options.resources?.length ? ` (${options.resources.join(', ')})` : '';
    this.output.info(`▶ ${title} ${project.label}${scope}`);
    if (options.onOutput) this.outputListeners.set(runId, options.onOutput);
    try {
      await this.clockwork.ready();
      const result = await vscode.window.withProgress(
        { location: options.location ?? vscode.ProgressLocation.Notification, title: `Clockwork ${title}${scope}`, cancellable: !options.token },
        async (progress, progressToken) => {
          this.listeners.set(runId, (update) => {
            if (!update.result) progress.report({ message: update.message });
            options.onProgress?.(update);
          });
          return this.clockwork.client.sendRequest(RunRequest, params, options.token ?? progressToken);
        },
      );
      this.finish(project, result, options);
      return result;
    } catch (error) {
      const cancelled = (options.token?.isCancellationRequested ?? false) || (error instanceof Error && /cancel/i.test(error.message));
      const message = error instanceof Error ? error.message : String(error);
      const result: RunResult = {
        command,
        ok: false,
        cancelled,
        summary: cancelled ? 'Cancelled' : message,
        error: { kind: cancelled ? 'cancelled' : 'other', message },
        durationMs: 0,
      };
      this.finish(project, result, options);
      return result;
    } finally {
      this.listeners.delete(runId);
      this.outputListeners.delete(runId);
      this.busy.delete(key);
    }
  }

  private finish(project: Project, result: RunResult, options: RunOptions): void {
    const title = COMMAND_TITLES[result.command];
    const seconds = (result.durationMs / 1000).toFixed(1);
    if (result.ok) this.output.info(`${result.summary} (${title}, ${seconds} s)`);
    else this.output.warn(`${result.summary} (${title}, ${seconds} s)`);
    this.lastRun = { project, result, at: new Date() };
    this.lastRunEmitter.fire(this.lastRun);
    if (options.quiet || result.ok || result.command === 'plan') return;
    this.reportFailure(project, result);
  }

  /** A failure notification with the action that helps. */
  reportFailure(project: Project, result: RunResult): void {
    const title = COMMAND_TITLES[result.command];
    const showOutput = (): void => this.output.show(true);
    switch (result.error?.kind) {
      case 'cancelled':
        this.ui.notify('info', `Clockwork: ${title} cancelled for ${project.label}.`);
        return;
      case 'untrusted':
      case 'locked':
        this.ui.notify('warning', result.error.message);
        return;
      case 'pyinfra-missing':
        offerPyinfra(this.ui, this.output, 'error', pyinfraMissingMessage(title, result.error.message, project.folder));
        return;
      case 'ai-key-missing':
        this.ui.notify('error', aiKeyMissingMessage(title, result.error.message), ['Set API Key', 'Open Settings'], (choice) => {
          if (choice === 'Set API Key') void vscode.commands.executeCommand('clockwork.setApiKey');
          else void vscode.commands.executeCommand('workbench.action.openSettings', 'clockwork');
        });
        return;
      default:
        this.ui.notify('error', `Clockwork: ${result.summary}`, ['Show Output'], showOutput);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The editor's words for a missing key: which resources need the AI, and the actions that help. */
function aiKeyMissingMessage(title: string, serverMessage: string): string {
  const [first = serverMessage, ...rest] = serverMessage.split('\n');
  const resources = rest.filter((line) => line.startsWith('  ')).map((line) => line.trim().replace(/ \(.*?\)(?=:)/, ''));
  const which = resources.length > 0 ? ` ${resources.join('; ')}.` : '';
  return (
    `Clockwork: ${title} needs the AI. ${first.replace(/:$/, '.')}${which} ` +
    'Set one with "Set API Key" (any value for a local server such as Ollama or LM Studio, set in clockwork.baseUrl), or write the values in clockwork.ts.'
  );
}
