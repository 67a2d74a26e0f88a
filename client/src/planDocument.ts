/**
 * The read-only "Clockwork Plan" document (scheme `clockwork-plan`, language `clockwork-plan`):
 * one line per resource and host, `+` create, `~` change, `-` remove, `=` unchanged, and an
 * `[AI …]` marker for content the AI will write or has cached.
 */
import * as vscode from 'vscode';
import type { WirePlan } from '../../server/src/protocol.js';

/** The URI scheme of plan documents. */
export const PLAN_SCHEME = 'clockwork-plan';

const MARK = { create: '+', change: '~', unchanged: '=', remove: '-' } as const;

function target(value: { type: 'file' | 'container'; id: string }): string {
  return value.type === 'file' ? value.id : `container ${value.id}`;
}

/** The text of a plan. */
export function renderPlan(plan: WirePlan): string {
  const lines = [
    `Clockwork Plan — ${plan.file}`,
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

/** Serves plan documents from memory. */
export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This plan is no longer available: run "Clockwork: Plan" again.\n';
  }

  /** Opens (or refreshes) the plan of a project; returns the document. */
  async show(projectLabel: string, plan: WirePlan): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/Clockwork Plan (${projectLabel.replace(/[/\\]/g, '-')})` });
    this.texts.set(uri.toString(), renderPlan(plan));
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== PLAN_SCHEME) document = await vscode.languages.setTextDocumentLanguage(document, PLAN_SCHEME);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
