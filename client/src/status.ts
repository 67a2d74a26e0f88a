/**
 * Language status items on clockwork.ts: whether PyInfra was found (and its version), the
 * AI model, and the last run's outcome.
 */
import * as vscode from 'vscode';
import { StatusRequest, type StatusResult } from '../../server/src/protocol.js';
import type { ClockworkClient } from './languageClient.js';
import { findProjects, isClockworkFile, projectOf, type Project } from './projects.js';
import { COMMAND_TITLES, type LastRun, type Runner } from './runner.js';
import { runSettings } from './settings.js';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/clockwork.ts' }];

/** The status items and what they last showed. */
export class StatusItems implements vscode.Disposable {
  private readonly pyinfra = vscode.languages.createLanguageStatusItem('clockwork.pyinfra', SELECTOR);
  private readonly run = vscode.languages.createLanguageStatusItem('clockwork.run', SELECTOR);
  private readonly disposables: vscode.Disposable[] = [];
  /** The latest status from the server (tests read it). */
  latest: StatusResult | undefined;

  constructor(
    private readonly clockwork: ClockworkClient,
    runner: Runner,
  ) {
    this.pyinfra.name = 'Clockwork: PyInfra';
    this.pyinfra.text = '$(sync~spin) PyInfra';
    this.run.name = 'Clockwork: AI model and last run';
    this.run.text = 'Clockwork';
    this.run.command = { title: 'Show Output', command: 'clockwork.showOutput' };
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
    );
  }

  private lastRunText = 'no run yet';

  private showLastRun(last: LastRun): void {
    const when = last.at.toLocaleTimeString();
    this.lastRunText = `last run: ${COMMAND_TITLES[last.result.command]} ${last.project.label} — ${last.result.summary} (${when})`;
    this.run.severity = last.result.ok || last.result.cancelled ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Warning;
    this.render();
  }

  private render(): void {
    const model = this.latest?.model ?? '…';
    this.run.text = `AI: ${model}`;
    this.run.detail = `${this.latest?.apiKey === false ? 'no API key · ' : ''}${this.lastRunText}`;
  }

  /** Asks the server about the active (or first) project. */
  async refresh(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const project: Project | undefined = isClockworkFile(active) ? projectOf(active) : (await findProjects())[0];
    if (!project) return;
    try {
      await this.clockwork.ready();
      const status = await this.clockwork.client.sendRequest(StatusRequest, {
        folderUri: project.folder.toString(),
        trusted: vscode.workspace.isTrusted,
        settings: runSettings(project.folder),
      });
      this.latest = status;
      if (status.pyinfra.found) {
        this.pyinfra.text = `$(check) PyInfra${status.pyinfra.version ? ` ${status.pyinfra.version}` : ''}`;
        this.pyinfra.detail = status.pyinfra.path ?? '';
        this.pyinfra.severity = vscode.LanguageStatusSeverity.Information;
        this.pyinfra.command = undefined;
      } else {
        this.pyinfra.text = '$(warning) PyInfra not found';
        this.pyinfra.detail = 'Apply and Destroy need PyInfra 3';
        this.pyinfra.severity = vscode.LanguageStatusSeverity.Warning;
        this.pyinfra.command = { title: 'Install PyInfra', command: 'clockwork.installPyinfra' };
      }
      this.render();
    } catch {
      // The server is not running; the start-up failure was reported already.
    }
  }

  dispose(): void {
    this.pyinfra.dispose();
    this.run.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
