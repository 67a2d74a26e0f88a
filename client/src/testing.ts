/**
 * The Testing panel: a TestController "Clockwork" with one item per clockwork.ts, a child
 * per resource and a child per assertion, built from the language server's static parse
 * (`clockwork/documentModel`, never by running the file) and replaced as the file changes.
 * The Run profile asserts exactly the selection; the continuous profile re-runs on save
 * and every `clockwork.watchInterval` minutes.
 */
import * as vscode from 'vscode';
import {
  DocumentModelChangedNotification,
  DocumentModelRequest,
  type DocumentModel,
  type RunResult,
  type WireAssertionResult,
} from '../../server/src/protocol.js';
import type { ClockworkClient } from './languageClient.js';
import { CLOCKWORK_GLOB, findProjects, isClockworkFile, projectOf } from './projects.js';
import { RESTRICTED_MESSAGE, type Runner } from './runner.js';
import { watchIntervalMinutes } from './settings.js';
import type { Ui } from './ui.js';

/** What an item's latest run gave (tests read these). */
export interface ItemResult {
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  message?: string;
  expected?: string;
  actual?: string;
  durationMs?: number;
}

interface ItemData {
  type: 'file' | 'resource' | 'assertion';
  file: vscode.Uri;
  resource?: string;
  index?: number;
}

/** A selection of one file's items, as an assert run's filters. */
interface Selection {
  file: vscode.Uri;
  all: boolean;
  resources: Set<string>;
  assertions: { resource: string; index: number }[];
  leaves: vscode.TestItem[];
}

function rangeOf(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The Testing panel's controller. */
export class ClockworkTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('clockwork', 'Clockwork');
  /** The latest result per item id. */
  readonly results = new Map<string, ItemResult>();
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runFinished = new vscode.EventEmitter<RunResult>();
  /** The Run profile (Assert; supports continuous runs). */
  readonly runProfile: vscode.TestRunProfile;
  /** Fires when a Testing-panel run finished. */
  readonly onDidFinishRun = this.runFinished.event;

  constructor(
    private readonly clockwork: ClockworkClient,
    private readonly runner: Runner,
    private readonly ui: Ui,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else if (this.data.get(item)?.type === 'file' && item.uri) await this.refresh(item.uri);
    };
    this.controller.refreshHandler = async () => {
      await this.discover();
    };
    const run = this.controller.createRunProfile('Assert', vscode.TestRunProfileKind.Run, (request, token) => this.runHandler(request, token), true, undefined, true);
    this.runProfile = run;
    const watcher = vscode.workspace.createFileSystemWatcher(CLOCKWORK_GLOB);
    this.disposables.push(
      this.controller,
      run,
      watcher,
      this.runFinished,
      watcher.onDidCreate((uri) => void this.fileItem(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      clockwork.client.onNotification(DocumentModelChangedNotification, ({ uri }) => {
        const file = vscode.Uri.parse(uri);
        if (isClockworkFile(file)) void this.refresh(file);
      }),
    );
  }

  /** Adds an item for every clockwork.ts of the workspace and reads their resources. */
  async discover(): Promise<void> {
    const projects = await findProjects();
    const keep = new Set(projects.map((project) => project.file.toString()));
    this.controller.items.forEach((item) => {
      if (!keep.has(item.id)) this.controller.items.delete(item.id);
    });
    await Promise.all(projects.map((project) => this.fileItem(project.file).then(() => this.refresh(project.file))));
  }

  private async fileItem(file: vscode.Uri): Promise<vscode.TestItem> {
    const existing = this.controller.items.get(file.toString());
    if (existing) return existing;
    const project = projectOf(file);
    const item = this.controller.createTestItem(file.toString(), vscode.workspace.asRelativePath(file, true), file);
    item.canResolveChildren = true;
    item.description = project.label;
    this.data.set(item, { type: 'file', file });
    this.controller.items.add(item);
    return item;
  }

  /**
   * Rebuilds a file's children from the server's static parse. The document is opened (not
   * shown) so the server has it; when its parse is not ready yet, the server's
   * `documentModelChanged` notification triggers this again.
   */
  async refresh(file: vscode.Uri): Promise<void> {
    await this.clockwork.ready();
    await vscode.workspace.openTextDocument(file);
    const model = await this.clockwork.client.sendRequest(DocumentModelRequest, { uri: file.toString() });
    if (model) this.apply(await this.fileItem(file), model);
  }

  private apply(fileItem: vscode.TestItem, model: DocumentModel): void {
    const file = fileItem.uri as vscode.Uri;
    const children: vscode.TestItem[] = [];
    model.resources.forEach((resource, position) => {
      const key = resource.name ?? `#${position}`;
      const item = this.controller.createTestItem(`${fileItem.id}/${key}`, `${resource.kind} ${resource.name ?? '(unnamed)'}`, file);
      item.range = rangeOf(resource.range);
      this.data.set(item, { type: 'resource', file, ...(resource.name !== undefined ? { resource: resource.name } : {}) });
      item.children.replace(
        resource.assertions.map((assertion) => {
          const child = this.controller.createTestItem(`${item.id}/${assertion.index}`, `${assertion.kind}${assertion.label ? ` (${assertion.label})` : ''}`, file);
          child.range = rangeOf(assertion.range);
          this.data.set(child, { type: 'assertion', file, ...(resource.name !== undefined ? { resource: resource.name } : {}), index: assertion.index });
          return child;
        }),
      );
      children.push(item);
    });
    fileItem.children.replace(children);
  }

  /** The run profile's handler; continuous requests keep watching until cancelled. */
  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.ui.notify('warning', `Clockwork: Assert ${RESTRICTED_MESSAGE}`);
      return;
    }
    if (!request.continuous) {
      await this.runOnce(request, token);
      return;
    }
    await this.watch(request, token);
  }

  private async watch(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const files = new Set(this.selections(request).map((selection) => selection.file.toString()));
    let queued: Promise<void> = Promise.resolve();
    const again = (): void => {
      queued = queued.then(() => this.runOnce(new vscode.TestRunRequest(request.include, request.exclude, request.profile, true), token));
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

  /** Every leaf under an item (assertions; a resource without assertions is its own leaf). */
  private leaves(item: vscode.TestItem): vscode.TestItem[] {
    if (item.children.size === 0) return this.data.get(item)?.type === 'file' ? [] : [item];
    const found: vscode.TestItem[] = [];
    item.children.forEach((child) => found.push(...this.leaves(child)));
    return found;
  }

  private selections(request: vscode.TestRunRequest): Selection[] {
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const included: vscode.TestItem[] = [];
    if (request.include) included.push(...request.include);
    else this.controller.items.forEach((item) => included.push(item));
    const byFile = new Map<string, Selection>();
    for (const item of included) {
      const data = this.data.get(item);
      if (!data || excluded.has(item.id)) continue;
      const key = data.file.toString();
      const selection = byFile.get(key) ?? { file: data.file, all: false, resources: new Set<string>(), assertions: [], leaves: [] };
      byFile.set(key, selection);
      const leaves = this.leaves(item).filter((leaf) => !excluded.has(leaf.id));
      selection.leaves.push(...leaves);
      if (data.type === 'file' && excluded.size === 0) selection.all = true;
      for (const leaf of leaves) {
        const leafData = this.data.get(leaf);
        if (!leafData?.resource) continue;
        if (leafData.type === 'assertion' && leafData.index !== undefined) selection.assertions.push({ resource: leafData.resource, index: leafData.index });
        else selection.resources.add(leafData.resource);
      }
    }
    return [...byFile.values()];
  }

  /** One run of the selection: one assert run per file. */
  async runOnce(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request, 'Clockwork Assert');
    try {
      for (const selection of this.selections(request)) {
        if (token.isCancellationRequested) break;
        await this.runSelection(run, selection, token);
      }
    } finally {
      run.end();
    }
  }

  private itemFor(selection: Selection, result: { resource: string; index: number; isDefault: boolean }): vscode.TestItem | undefined {
    return selection.leaves.find((leaf) => {
      const data = this.data.get(leaf);
      if (data?.resource !== result.resource) return false;
      return result.isDefault ? data.type === 'resource' : data.type === 'assertion' && data.index === result.index;
    });
  }

  private async runSelection(run: vscode.TestRun, selection: Selection, token: vscode.CancellationToken): Promise<void> {
    for (const leaf of selection.leaves) run.enqueued(leaf);
    const project = projectOf(selection.file);
    // Default checks of resources without assertions need the resource filter; assertions are picked one by one.
    const filters = selection.all
      ? {}
      : selection.assertions.length > 0 && selection.resources.size === 0
        ? { assertions: selection.assertions }
        : selection.assertions.length === 0
          ? { resources: [...selection.resources] }
          : { resources: [...new Set([...selection.resources, ...selection.assertions.map((item) => item.resource)])] };
    const settled = new Set<vscode.TestItem>();
    const byItem = new Map<vscode.TestItem, WireAssertionResult[]>();
    const result = await this.runner.run('assert', project, {
      ...filters,
      token,
      location: vscode.ProgressLocation.Window,
      quiet: true,
      onProgress: (update) => {
        for (const check of update.checks ?? []) {
          const item = this.itemFor(selection, check);
          if (item) run.started(item);
        }
        if (update.result) {
          const item = this.itemFor(selection, { resource: update.result.resource, index: update.result.assertion.index, isDefault: update.result.isDefault });
          if (item) byItem.set(item, [...(byItem.get(item) ?? []), update.result]);
        }
      },
    });
    for (const line of [`${result.summary}`]) run.appendOutput(`${line}\r\n`);
    // The final results are authoritative (every host of every assertion).
    if (result.assertions) {
      byItem.clear();
      for (const item of result.assertions) {
        const leaf = this.itemFor(selection, { resource: item.resource, index: item.assertion.index, isDefault: item.isDefault });
        if (leaf) byItem.set(leaf, [...(byItem.get(leaf) ?? []), item]);
      }
    }
    for (const [item, results] of byItem) {
      this.report(run, item, results);
      settled.add(item);
    }
    for (const leaf of selection.leaves) {
      if (settled.has(leaf)) continue;
      if (result.cancelled) {
        run.skipped(leaf);
        this.results.set(leaf.id, { state: 'skipped' });
      } else {
        const message = result.error?.message ?? 'This assertion was not checked.';
        run.errored(leaf, new vscode.TestMessage(message));
        this.results.set(leaf.id, { state: 'errored', message });
      }
    }
    // Partial or unfiltered selections: the runner filtered by resource, so siblings may have run too; they are reported above only when selected.
    this.runFinished.fire(result);
  }

  /** Shows the results of an Assert run started elsewhere (a command or CodeLens) in the panel. */
  async showCommandResults(file: vscode.Uri, result: RunResult): Promise<void> {
    if (!result.assertions || result.assertions.length === 0) return;
    const fileItem = this.controller.items.get(file.toString()) ?? (await this.refresh(file).then(() => this.controller.items.get(file.toString())));
    if (!fileItem) return;
    const selection: Selection = { file, all: true, resources: new Set(), assertions: [], leaves: this.leaves(fileItem) };
    const run = this.controller.createTestRun(new vscode.TestRunRequest([fileItem]), 'Clockwork Assert', false);
    const byItem = new Map<vscode.TestItem, WireAssertionResult[]>();
    for (const item of result.assertions) {
      const leaf = this.itemFor(selection, { resource: item.resource, index: item.assertion.index, isDefault: item.isDefault });
      if (leaf) byItem.set(leaf, [...(byItem.get(leaf) ?? []), item]);
    }
    for (const [item, results] of byItem) this.report(run, item, results);
    run.end();
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, results: WireAssertionResult[]): void {
    const duration = Math.max(...results.map((result) => result.durationMs));
    const worst = results.find((result) => result.status === 'error') ?? results.find((result) => result.status === 'failed') ?? results[0];
    if (!worst) return;
    const hosts = results.length > 1 ? ` on ${worst.host}` : '';
    if (worst.status === 'passed') {
      run.passed(item, duration);
      this.results.set(item.id, { state: 'passed', durationMs: duration });
      return;
    }
    const text = `${worst.message || `expected ${worst.expected}, got ${worst.actual || 'nothing'}`}${hosts}`;
    const message = worst.status === 'failed' && (worst.expected || worst.actual) ? vscode.TestMessage.diff(text, worst.expected, worst.actual) : new vscode.TestMessage(text);
    if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
    if (worst.status === 'failed') run.failed(item, message, duration);
    else run.errored(item, message, duration);
    this.results.set(item.id, {
      state: worst.status === 'failed' ? 'failed' : 'errored',
      message: text,
      expected: worst.expected,
      actual: worst.actual,
      durationMs: duration,
    });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
