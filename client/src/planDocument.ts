/**
 * The read-only "Clockwork Plan" document (scheme `clockwork-plan`, language `clockwork-plan`):
 * one line per resource and host, `+` create, `~` change, `-` remove, `=` unchanged, and an
 * `[AI …]` marker for content the AI will write or has cached. It opens in the editor's own
 * column (wrapped, so no line is cut), and an open plan is refreshed after Apply and Destroy.
 */
import * as vscode from 'vscode';
import type { WirePlan, WireTarget } from '../../server/src/protocol.js';
import type { Project } from './projects.js';

/** The URI scheme of plan documents. */
export const PLAN_SCHEME = 'clockwork-plan';

const MARK = { create: '+', change: '~', unchanged: '=', remove: '-' } as const;

function target(value: WireTarget): string {
  return value.type === 'file' ? value.id : `${value.type} ${value.id}`;
}

/** The text of a plan; each warning is a `⚠` line above it (e.g. PyInfra is missing). */
export function renderPlan(plan: WirePlan, warnings: readonly string[] = []): string {
  const lines = [
    `Clockwork Plan — ${plan.file}`,
    ...warnings.map((warning) => `⚠ ${warning}`),
    `Hosts: ${plan.hosts.join(', ')}`,
    'Legend: + create  ~ change  - remove  = unchanged  [AI will generate …] / [AI cached …] content the AI writes',
    '',
  ];
  for (const resource of plan.resources) {
    const ai = resource.aiFields.length > 0 ? `  [AI ${resource.ai === 'cached' ? 'cached' : 'will generate'}: ${resource.aiFields.join(', ')}]` : '';
    for (const host of plan.hosts) {
      lines.push(`${MARK[resource.action]} ${resource.kind} ${resource.name} → ${target(resource.target)} on ${host}${ai}`);
    }
    for (const assertion of resource.assertions) lines.push(`      assert ${assertion.kind}${assertion.label ? ` (${assertion.label})` : ''}`);
  }
  for (const removal of plan.removals) {
    for (const host of plan.hosts) lines.push(`${MARK.remove} ${removal.kind} ${removal.name} → ${target(removal.target)} on ${host}  (no longer in clockwork.ts)`);
  }
  lines.push('', planSummary(plan));
  return `${lines.join('\n')}\n`;
}

/** One sentence: what apply would do. */
export function planSummary(plan: WirePlan): string {
  const count = (action: string): number => plan.resources.filter((resource) => resource.action === action).length;
  const ai = plan.resources.filter((resource) => resource.aiFields.length > 0);
  const cached = ai.filter((resource) => resource.ai === 'cached').length;
  return (
    `Apply would create ${count('create')}, change ${count('change')}, remove ${plan.removals.length} and leave ${count('unchanged')} unchanged; ` +
    `the AI writes ${ai.length} (${cached} cached, ${ai.length - cached} to generate).`
  );
}

/** The plan document of a project: its path names the project, its query holds the clockwork.ts URI. */
export function planUri(project: Project): vscode.Uri {
  return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/Clockwork Plan (${project.label.replace(/[/\\]/g, '-')})`, query: project.file.toString() });
}

/** The clockwork.ts a plan document is about, or undefined for any other document. */
export function planFile(uri: vscode.Uri | undefined): vscode.Uri | undefined {
  return uri?.scheme === PLAN_SCHEME && uri.query ? vscode.Uri.parse(uri.query) : undefined;
}

/** Serves plan documents from memory. */
export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This plan is no longer available: run "Clockwork: Plan" again.\n';
  }

  /** Opens (or refreshes) the plan of a project in the active editor column; returns the document. */
  async show(project: Project, plan: WirePlan, warnings: readonly string[] = []): Promise<vscode.TextDocument> {
    const uri = planUri(project);
    this.update(uri, renderPlan(plan, warnings));
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== PLAN_SCHEME) document = await vscode.languages.setTextDocumentLanguage(document, PLAN_SCHEME);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
    return document;
  }

  /** True while the plan of `project` is open in an editor tab. */
  isOpen(project: Project): boolean {
    const uri = planUri(project).toString();
    return vscode.window.tabGroups.all.some((group) =>
      group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri),
    );
  }

  /** Replaces the text of an open plan (it is not brought to the front). */
  refresh(project: Project, plan: WirePlan, warnings: readonly string[] = []): void {
    this.update(planUri(project), renderPlan(plan, warnings));
  }

  /** The current text of a project's plan document (tests read it). */
  textOf(project: Project): string | undefined {
    return this.texts.get(planUri(project).toString());
  }

  private update(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
