/**
 * Language status items on clockwork.ts: whether PyInfra was found (and its version; an error
 * with the Install PyInfra action when not), the AI model, and the last run's outcome. VS Code
 * draws each item's severity icon itself, so the texts carry none.
 */
import * as vscode from 'vscode';
import { StatusRequest, type StatusResult } from '../../server/src/protocol.js';
import type { ClockworkClient } from './languageClient.js';
import { findProjects, isClockworkFile, projectOf, type Project } from './projects.js';
import { pyinfraProblemText } from './pyinfra.js';
import { COMMAND_TITLES, type LastRun, type Runner } from './runner.js';
import { runSettings } from './settings.js';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/clockwork.ts' }];

/** The status items and what they last showed. */
export class StatusItems implements vscode.Disposable {
  /** PyInfra: found (version) or not (tests read it). */
  readonly pyinfra = vscode.languages.createLanguageStatusItem('clockwork.pyinfra', SELECTOR);
  /** The AI model and whether a key reaches the server. */
  readonly ai = vscode.languages.createLanguageStatusItem('clockwork.ai', SELECTOR);
  /** The last run's outcome. */
  readonly run = vscode.languages.createLanguageStatusItem('clockwork.run', SELECTOR);
  private readonly disposables: vscode.Disposable[] = [];
  /** The latest status from the server (tests read it). */
  latest: StatusResult | undefined;
  /** The project that status is about. */
  private latestProject: Project | undefined;

  constructor(
    private readonly clockwork: ClockworkClient,
    runner: Runner,
  ) {
    this.pyinfra.name = 'Clockwork: PyInfra';
    this.pyinfra.text = 'PyInfra';
    this.pyinfra.busy = true;
    this.ai.name = 'Clockwork: AI model';
    this.ai.text = 'AI';
    this.ai.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['clockwork'] };
    this.run.name = 'Clockwork: last run';
    this.run.text = 'No run yet';
    this.run.command = { title: 'Output', command: 'clockwork.showOutput', tooltip: 'Show the "Clockwork" log' };
    this.disposables.push(
      runner.onDidRun((last) => {
        this.showLastRun(last);
        if (last.result.command === 'setup') void this.refresh();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('clockwork')) void this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      clockwork.onDidStart(() => void this.refresh()),
    );
  }

  private showLastRun(last: LastRun): void {
    // Short enough for the status hover's one line: the project only when there are several.
    const when = last.at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 || (this.latestProject && this.latestProject.folder.toString() !== last.project.folder.toString());
    this.run.text = `${COMMAND_TITLES[last.result.command]}: ${last.result.summary}`;
    this.run.detail = several ? `${last.project.label}, ${when}` : when;
    this.run.severity = last.result.ok || last.result.cancelled ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Warning;
  }

  /**
   * Asks the server about the active (or first) project, or the first folder before there is
   * one; sets the context keys the walkthrough's steps complete on.
   */
  async refresh(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const project: Project | undefined =
      (isClockworkFile(active) ? projectOf(active) : (await findProjects())[0]) ?? (folder ? projectOf(vscode.Uri.joinPath(folder, 'clockwork.ts')) : undefined);
    if (!project) return;
    try {
      await this.clockwork.ready();
      const status = await this.clockwork.client.sendRequest(StatusRequest, {
        folderUri: project.folder.toString(),
        trusted: vscode.workspace.isTrusted,
        settings: runSettings(project.folder),
      });
      this.latest = status;
      this.latestProject = project;
      this.pyinfra.busy = false;
      if (status.pyinfra.found) {
        this.pyinfra.text = `PyInfra${status.pyinfra.version ? ` ${status.pyinfra.version}` : ''}`;
        this.pyinfra.detail = status.pyinfra.path ?? '';
        this.pyinfra.severity = vscode.LanguageStatusSeverity.Information;
        this.pyinfra.command = undefined;
      } else {
        // Apply and Destroy cannot run: an error, with the action that fixes it.
        this.pyinfra.text = 'PyInfra not found';
        this.pyinfra.detail = pyinfraProblemText(status.pyinfra.problem ?? '', project.folder).replace(/^PyInfra was not found: /, '');
        this.pyinfra.severity = vscode.LanguageStatusSeverity.Error;
        this.pyinfra.command = { title: 'Install PyInfra', command: 'clockwork.installPyinfra' };
      }
      this.ai.text = `AI: ${status.model}`;
      this.ai.detail = status.apiKey ? status.baseUrl : 'no API key';
      this.ai.severity = vscode.LanguageStatusSeverity.Information;
      await vscode.commands.executeCommand('setContext', 'clockwork.pyinfraFound', status.pyinfra.found);
      await vscode.commands.executeCommand('setContext', 'clockwork.aiReady', status.apiKey);
    } catch {
      // The server is not running; the start-up failure was reported already.
    }
  }

  dispose(): void {
    this.pyinfra.dispose();
    this.ai.dispose();
    this.run.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
