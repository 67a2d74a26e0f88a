/**
 * The Testing panel: a TestController "Clockwork" whose items come from the language server's
 * static parse (tree.ts, never by running the file). The Run profile asserts exactly the
 * selection; the continuous profile re-runs on save and on a timer (watch.ts); an Assert run
 * from a command or CodeLens shows here as its own run. Results are joined to items by
 * join.ts and reported by report.ts; Destroy makes the results of what it removed unknown.
 */
import * as vscode from 'vscode';
import { DocumentModelChangedNotification, DocumentModelRequest, type RunResult, type WireAssertionResult } from '../../../server/src/protocol.js';
import type { ClockworkClient } from '../languageClient.js';
import type { ClockworkFiles } from '../clockworkFiles.js';
import { isClockworkFile, projectOf, type Project } from '../projects.js';
import { RESTRICTED_MESSAGE, type RunOptions, type Runner } from '../runner.js';
import type { Ui } from '../ui.js';
import { groupResults, leavesFor } from './join.js';
import { outputLine, reportLeaf, type ItemResult } from './report.js';
import { runFilters, selectionsOf } from './selection.js';
import { TestTree } from './tree.js';
import { watchRuns } from './watch.js';

export type { ItemResult } from './report.js';

/** One assert run's scope: the leaves it reports, and the run's filters. */
interface Check {
  file: vscode.Uri;
  leaves: vscode.TestItem[];
  filters: Pick<RunOptions, 'resources' | 'assertions' | 'hosts'>;
}

/** The Testing panel's controller. */
export class ClockworkTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('clockwork', 'Clockwork');
  /** The latest result per item id (tests read it). */
  readonly results = new Map<string, ItemResult>();
  readonly tree = new TestTree(this.controller);
  /** The Run profile (Assert; supports continuous runs). */
  readonly runProfile: vscode.TestRunProfile;
  private readonly runFinished = new vscode.EventEmitter<RunResult>();
  /** Fires when a Testing-panel run finished. */
  readonly onDidFinishRun = this.runFinished.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last Assert run from a command: its output and how long its test run lasted (tests read it). */
  lastCommandRun: { output: string; durationMs: number } | undefined;

  constructor(
    private readonly clockwork: ClockworkClient,
    private readonly runner: Runner,
    private readonly ui: Ui,
    private readonly files: ClockworkFiles,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else if (this.tree.dataOf(item)?.type === 'file' && item.uri) await this.refresh(item.uri);
    };
    this.controller.refreshHandler = () => this.discover();
    this.runProfile = this.controller.createRunProfile('Assert', vscode.TestRunProfileKind.Run, (request, token) => this.runHandler(request, token), true, undefined, true);
    this.disposables.push(
      this.controller,
      this.runProfile,
      this.runFinished,
      files.onDidCreate((uri) => void this.refresh(uri).catch(() => undefined)),
      files.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      clockwork.client.onNotification(DocumentModelChangedNotification, ({ uri }) => {
        const file = vscode.Uri.parse(uri);
        if (isClockworkFile(file)) void this.refresh(file).catch(() => undefined);
      }),
    );
  }

  /** Adds an item for every clockwork.ts of the workspace and reads their resources. */
  async discover(): Promise<void> {
    const projects = await this.files.list();
    const keep = new Set(projects.map((project) => project.file.toString()));
    this.controller.items.forEach((item) => {
      if (!keep.has(item.id)) this.controller.items.delete(item.id);
    });
    await Promise.all(projects.map((project) => this.refresh(project.file)));
  }

  /**
   * Rebuilds a file's children from the server's static parse. The document is opened (not
   * shown) so the server has it; when its parse is not ready yet, the server's
   * `documentModelChanged` notification triggers this again.
   */
  async refresh(file: vscode.Uri): Promise<void> {
    const fileItem = this.tree.fileItem(file);
    await this.clockwork.ready();
    await vscode.workspace.openTextDocument(file);
    const model = await this.clockwork.client.sendRequest(DocumentModelRequest, { uri: file.toString() });
    if (model) this.tree.applyModel(fileItem, model);
  }

  /** The run profile's handler; continuous requests keep watching until cancelled. */
  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.ui.notify('warning', `Clockwork: Assert ${RESTRICTED_MESSAGE}`);
      return;
    }
    if (!request.continuous) return this.runOnce(request, token);
    const files = new Set(this.selections(request).map((selection) => selection.file.toString()));
    return watchRuns(request, files, token, (again, againToken) => this.runOnce(again, againToken));
  }

  private selections(request: vscode.TestRunRequest): ReturnType<typeof selectionsOf> {
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((item) => roots.push(item));
    return selectionsOf(this.tree, roots, request.exclude);
  }

  /** One run of the selection: one assert run per file. */
  async runOnce(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request, 'Clockwork Assert');
    try {
      for (const selection of this.selections(request)) {
        if (token.isCancellationRequested) break;
        const result = await this.check(run, { file: selection.file, leaves: selection.leaves, filters: runFilters(selection) }, { token });
        this.runFinished.fire(result);
      }
    } finally {
      run.end();
    }
  }

  /**
   * Assert started by a command or CodeLens (one resource, or the whole file): a run of its
   * own in the Testing panel, with the run's output and its real duration.
   */
  async assertFromCommand(project: Project, resource?: string): Promise<RunResult> {
    const fileItem = this.tree.existingFileItem(project.file) ?? (await this.refresh(project.file).then(() => this.tree.existingFileItem(project.file)));
    const item = fileItem && resource ? this.resourceItem(fileItem, resource) : fileItem;
    const leaves = item ? this.tree.leaves(item) : [];
    const run = this.controller.createTestRun(new vscode.TestRunRequest(item ? [item] : undefined), 'Clockwork Assert');
    const started = performance.now();
    const output: string[] = [];
    try {
      return await this.check(run, { file: project.file, leaves, filters: resource ? { resources: [resource] } : {} }, {}, output);
    } finally {
      run.end();
      this.lastCommandRun = { output: output.join(''), durationMs: performance.now() - started };
    }
  }

  private resourceItem(fileItem: vscode.TestItem, name: string): vscode.TestItem | undefined {
    let found: vscode.TestItem | undefined;
    fileItem.children.forEach((child) => {
      if (this.tree.dataOf(child)?.resource === name) found = child;
    });
    return found;
  }

  /** Runs one assert and reports it to `run`: progress as it comes, the final results authoritative. */
  private async check(run: vscode.TestRun, check: Check, options: Pick<RunOptions, 'token'>, output: string[] = []): Promise<RunResult> {
    for (const leaf of check.leaves) run.enqueued(leaf);
    const arrived: WireAssertionResult[] = [];
    const append = (line: string): void => {
      output.push(outputLine(line));
      run.appendOutput(outputLine(line));
    };
    const result = await this.runner.run('assert', projectOf(check.file), {
      ...check.filters,
      ...options,
      location: vscode.ProgressLocation.Window,
      quiet: true,
      // The run's own lines; PyInfra's output (debug) stays in the "Clockwork" log.
      onOutput: (line, level) => {
        if (level !== 'debug' && level !== 'trace') append(line);
      },
      onProgress: (update) => {
        for (const ref of update.checks ?? []) {
          for (const leaf of leavesFor(this.tree, check.leaves, ref)) run.started(leaf);
        }
        // Leaves of resources with computed names are known only by where results say they are.
        if (update.checks) for (const leaf of check.leaves) if (this.tree.dataOf(leaf)?.resource === undefined) run.started(leaf);
        if (update.result) arrived.push(update.result);
      },
    });
    append(result.summary);
    // A run that failed as a whole (e.g. a loop now builds other names): learn the names again.
    if (!result.assertions && !result.cancelled) {
      const fileItem = this.tree.existingFileItem(check.file);
      if (fileItem) this.tree.forgetInstances(fileItem);
    }
    const grouped = groupResults(this.tree, check.leaves, result.assertions ?? arrived);
    for (const [leaf, results] of grouped) {
      const shown = reportLeaf(run, leaf, results);
      if (shown) this.results.set(leaf.id, shown);
      this.describeInstances(leaf, results);
    }
    for (const leaf of check.leaves) {
      if (grouped.has(leaf)) continue;
      if (result.cancelled) {
        run.skipped(leaf);
        this.results.set(leaf.id, { state: 'skipped' });
      } else {
        const message = result.error?.message ?? 'No result came back for this assertion: is clockwork.ts saved?';
        run.errored(leaf, new vscode.TestMessage(message));
        this.results.set(leaf.id, { state: 'errored', message });
      }
    }
    return result;
  }

  /** A resource whose name is computed: the names its instances had in this run (shown, and used to filter the next). */
  private describeInstances(leaf: vscode.TestItem, results: readonly WireAssertionResult[]): void {
    const resourceItem = this.tree.dataOf(leaf)?.type === 'assertion' ? leaf.parent : leaf;
    if (!resourceItem || this.tree.dataOf(resourceItem)?.resource !== undefined) return;
    this.tree.setInstances(resourceItem, results.map((result) => result.resource));
  }

  /**
   * What Destroy removed is no longer known to pass or fail: a "Clockwork Destroy" run marks its
   * assertions skipped (VS Code keeps showing an item's last result otherwise), saying why in
   * Test Results (all of the file's items when `resources` is undefined).
   */
  forget(file: vscode.Uri, resources?: readonly string[], note = 'Destroyed'): void {
    const fileItem = this.tree.existingFileItem(file);
    if (!fileItem) return;
    const roots: vscode.TestItem[] = [];
    if (!resources) roots.push(fileItem);
    else {
      // A resource built in a loop: by the names its instances had in the last run.
      fileItem.children.forEach((child) => {
        if ((this.tree.namesOf(child) ?? []).some((name) => resources.includes(name))) roots.push(child);
      });
    }
    if (roots.length === 0) return;
    const leaves = roots.flatMap((root) => this.tree.leaves(root));
    for (const root of roots) this.results.delete(root.id);
    const run = this.controller.createTestRun(new vscode.TestRunRequest(roots), 'Clockwork Destroy');
    const what = resources ? resources.join(', ') : 'everything clockwork.ts deployed';
    run.appendOutput(outputLine(`${note} ${what}: its assertions are unknown until the next Assert.`));
    for (const leaf of leaves) {
      run.skipped(leaf);
      this.results.set(leaf.id, { state: 'skipped', message: `${note}: not checked since` });
    }
    run.end();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
