/**
 * clockwork.ts files appearing and disappearing in the workspace, for the Testing panel and the
 * palette's commands. A `**\/clockwork.ts` watcher alone misses a file written into a folder
 * that was itself just created (`mkdir app && cp … app/clockwork.ts`, a `git checkout`, an
 * unzip): the file lands before the folder is watched. So created folders are searched too,
 * once they settle. And removing a folder reports the folder only: the clockwork.ts files known
 * to be under it go with it.
 */
import * as vscode from 'vscode';
import { CLOCKWORK_GLOB, EXCLUDE_GLOB, findProjects, type Project } from './projects.js';

/** How long a burst of creations settles before the new folders in it are searched. */
const SETTLE_MS = 300;
/** Beyond this many new paths in one burst, one search of the whole workspace is cheaper. */
const MAX_STATS = 100;

/** Reports every clockwork.ts that appears or goes, including those in new folders. */
export class ClockworkFiles implements vscode.Disposable {
  private readonly created = new vscode.EventEmitter<vscode.Uri>();
  private readonly deleted = new vscode.EventEmitter<vscode.Uri>();
  /** A clockwork.ts appeared. */
  readonly onDidCreate = this.created.event;
  /** A clockwork.ts went (itself, or with a folder). */
  readonly onDidDelete = this.deleted.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The clockwork.ts files seen so far (listed, or reported created), by URI string. */
  private readonly known = new Map<string, vscode.Uri>();
  private readonly newPaths = new Map<string, vscode.Uri>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const files = vscode.workspace.createFileSystemWatcher(CLOCKWORK_GLOB);
    // A folder's creation and removal are reported reliably, what it holds may not be.
    const everything = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      files,
      everything,
      this.created,
      this.deleted,
      files.onDidCreate((uri) => this.add(uri)),
      files.onDidDelete((uri) => this.remove(uri)),
      everything.onDidCreate((uri) => this.noteCreated(uri)),
      everything.onDidDelete((uri) => this.noteDeleted(uri)),
      { dispose: () => clearTimeout(this.timer) },
    );
  }

  /** Every project of the workspace now (a search), remembered so their folders' removal is seen. */
  async list(): Promise<Project[]> {
    const projects = await findProjects();
    for (const project of projects) this.known.set(project.file.toString(), project.file);
    return projects;
  }

  private add(file: vscode.Uri): void {
    this.known.set(file.toString(), file);
    this.created.fire(file);
  }

  private remove(file: vscode.Uri): void {
    this.known.delete(file.toString());
    this.deleted.fire(file);
  }

  private noteDeleted(uri: vscode.Uri): void {
    const folder = `${uri.toString()}/`;
    for (const [key, file] of [...this.known]) if (key.startsWith(folder)) this.remove(file);
  }

  private noteCreated(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || uri.path.endsWith('/clockwork.ts') || /\/(node_modules|\.clockwork|\.git)(\/|$)/.test(uri.path)) return;
    this.newPaths.set(uri.toString(), uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.searchNewFolders(), SETTLE_MS);
  }

  /** Searches each created folder (not inside another one created) for clockwork.ts files. */
  private async searchNewFolders(): Promise<void> {
    const paths = [...this.newPaths.values()];
    this.newPaths.clear();
    if (paths.length > MAX_STATS) {
      const found = await Promise.resolve(vscode.workspace.findFiles(CLOCKWORK_GLOB, EXCLUDE_GLOB)).catch(() => []);
      for (const file of found) this.add(file);
      return;
    }
    const folders: vscode.Uri[] = [];
    for (const uri of paths.sort((a, b) => a.path.length - b.path.length)) {
      if (folders.some((folder) => uri.path.startsWith(`${folder.path}/`))) continue;
      const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
      if (stat && stat.type & vscode.FileType.Directory) folders.push(uri);
    }
    for (const folder of folders) {
      const found = await Promise.resolve(vscode.workspace.findFiles(new vscode.RelativePattern(folder, CLOCKWORK_GLOB), EXCLUDE_GLOB)).catch(() => []);
      for (const file of found) this.add(file);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
