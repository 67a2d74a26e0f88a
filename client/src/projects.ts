/**
 * Projects: every folder holding a clockwork.ts. Commands act on the project of their
 * argument (a CodeLens `{uri, resource}`, the editor title's file URI), else the active
 * editor's (a clockwork.ts or its plan), else the only one, else the one the user picks.
 */
import * as vscode from 'vscode';
import type { ResourceCommandArgs } from '../../server/src/protocol.js';
import type { ClockworkFiles } from './clockworkFiles.js';
import { planFile } from './planDocument.js';

/** A folder holding clockwork.ts. */
export interface Project {
  /** The folder. */
  folder: vscode.Uri;
  /** Its clockwork.ts. */
  file: vscode.Uri;
  /** A short name for messages: the path relative to its workspace folder, or the folder name. */
  label: string;
}

/** Files Clockwork looks for; `.clockwork/` and node_modules are never searched. */
export const CLOCKWORK_GLOB = '**/clockwork.ts';
/** Where Clockwork never looks for clockwork.ts. */
export const EXCLUDE_GLOB = '**/{node_modules,.clockwork}/**';

/** True for a clockwork.ts file URI. */
export function isClockworkFile(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri !== undefined && uri.scheme === 'file' && uri.path.endsWith('/clockwork.ts');
}

/** The project of a clockwork.ts file. */
export function projectOf(file: vscode.Uri): Project {
  const folder = vscode.Uri.joinPath(file, '..');
  const relative = vscode.workspace.asRelativePath(folder, true);
  const label = relative && relative !== folder.fsPath ? relative : folder.path.slice(folder.path.lastIndexOf('/') + 1);
  return { folder, file, label };
}

/** Every project in the workspace, sorted by path. */
export async function findProjects(): Promise<Project[]> {
  const files = await vscode.workspace.findFiles(CLOCKWORK_GLOB, EXCLUDE_GLOB);
  return files.sort((a, b) => a.path.localeCompare(b.path)).map(projectOf);
}

/** What a command was invoked with. */
export interface CommandTarget {
  project: Project;
  /** Only this resource (CodeLens). */
  resource?: string;
}

function isResourceArgs(value: unknown): value is ResourceCommandArgs {
  return typeof value === 'object' && value !== null && typeof (value as ResourceCommandArgs).uri === 'string';
}

/**
 * The project (and resource) a command applies to, or undefined when there is none or the
 * user dismissed the choice.
 */
export async function resolveTarget(argument: unknown): Promise<CommandTarget | undefined> {
  if (isResourceArgs(argument)) {
    const project = projectOf(vscode.Uri.parse(argument.uri));
    return argument.resource ? { project, resource: argument.resource } : { project };
  }
  if (argument instanceof vscode.Uri && isClockworkFile(argument)) return { project: projectOf(argument) };
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isClockworkFile(active)) return { project: projectOf(active) };
  // A plan document stands for its project.
  const planned = planFile(active);
  if (isClockworkFile(planned)) return { project: projectOf(planned) };
  const projects = await findProjects();
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('There is no clockwork.ts in this workspace. Create one with "Clockwork: Init Project".', 'Init Project').then((choice) => {
      if (choice) void vscode.commands.executeCommand('clockwork.initProject');
    });
    return undefined;
  }
  if (projects.length === 1) return { project: projects[0] as Project };
  const picked = await vscode.window.showQuickPick(
    projects.map((project) => ({ label: project.label, description: project.folder.fsPath, project })),
    { title: 'Clockwork: which project?', placeHolder: 'Several folders hold a clockwork.ts' },
  );
  return picked ? { project: picked.project } : undefined;
}

/**
 * Whether the workspace holds a clockwork.ts, kept current as such files appear (Init
 * Project, a new file) and disappear: it sets the `clockwork.hasProject` context key that
 * shows Plan, Apply, Assert, Destroy and Generate in the command palette.
 */
export class ProjectPresence implements vscode.Disposable {
  /** The latest answer (tests read it). */
  hasProject: boolean | undefined;
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires when `hasProject` changes. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: Promise<boolean> | undefined;

  constructor(private readonly files: ClockworkFiles) {
    this.disposables.push(
      this.changed,
      files.onDidCreate(() => void this.update()),
      files.onDidDelete(() => void this.update()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.update()),
    );
  }

  /** Looks again (one search at a time; a call during a search waits for a fresh one). */
  update(): Promise<boolean> {
    const previous = this.pending ?? Promise.resolve(false);
    const next = previous.then(async () => {
      const has = (await this.files.list()).length > 0;
      if (has !== this.hasProject) {
        this.hasProject = has;
        await vscode.commands.executeCommand('setContext', 'clockwork.hasProject', has);
        this.changed.fire(has);
      }
      return has;
    });
    this.pending = next.catch(() => false);
    return next;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
