/** The Clockwork commands (category "Clockwork"), each returning its result for callers and tests. */
import * as vscode from 'vscode';
import type { RunResult } from '../../server/src/protocol.js';
import { destroy } from './destroy.js';
import { initProject } from './initProject.js';
import { API_KEY_SECRET, type ClockworkClient } from './languageClient.js';
import { planSummary, type PlanDocuments } from './planDocument.js';
import { findProjects, projectOf, resolveTarget, type CommandTarget, type Project } from './projects.js';
import { offerPyinfra, pyinfraMissingMessage, pyinfraStatus } from './pyinfra.js';
import { doneMessage, RESTRICTED_MESSAGE, type Runner } from './runner.js';
import { confirmApply } from './settings.js';
import type { ClockworkTests } from './testing/tests.js';
import type { Ui } from './ui.js';

/** What the commands need. */
export interface CommandContext {
  context: vscode.ExtensionContext;
  clockwork: ClockworkClient;
  runner: Runner;
  plans: PlanDocuments;
  output: vscode.LogOutputChannel;
  ui: Ui;
  tests: ClockworkTests;
}

/** A result for a run that stopped before it started. */
export function notRun(command: RunResult['command'], summary: string, kind: 'cancelled' | 'pyinfra-missing' = 'cancelled'): RunResult {
  return { command, ok: false, cancelled: kind === 'cancelled', summary, error: { kind, message: summary }, durationMs: 0 };
}

function resources(target: CommandTarget): { resources: string[] } | Record<string, never> {
  return target.resource ? { resources: [target.resource] } : {};
}

/** The plan's warnings and the PyInfra problem (if any), asked in parallel with the plan itself. */
async function planWithPyinfra(cx: CommandContext, project: Project): Promise<{ planned: RunResult; missing: string | undefined }> {
  const [planned, pyinfra] = await Promise.all([cx.runner.run('plan', project), pyinfraStatus(cx.clockwork, project)]);
  return { planned, missing: pyinfra && !pyinfra.found ? (pyinfra.problem ?? 'PyInfra was not found.') : undefined };
}

function pyinfraWarning(missing: string | undefined, project: Project): string[] {
  return missing ? [pyinfraMissingMessage('Apply', missing, project.folder).replace(/^Clockwork: /, '')] : [];
}

/** Plan: opens the plan document; says at once when Apply could not deploy it (no PyInfra). */
async function plan(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  const { planned, missing } = await planWithPyinfra(cx, target.project);
  if (!planned.plan) {
    cx.runner.reportFailure(target.project, planned);
    return planned;
  }
  await cx.plans.show(target.project, planned.plan, pyinfraWarning(missing, target.project));
  if (missing) offerPyinfra(cx.ui, cx.output, 'warning', pyinfraMissingMessage('Apply', missing, target.project.folder));
  return planned;
}

/** Opens the readable previews of what the AI generated. */
async function showGenerated(result: RunResult): Promise<void> {
  for (const item of result.generation ?? []) {
    if (!item.preview) continue;
    await vscode.window.showTextDocument(vscode.Uri.file(item.preview), { preview: false, preserveFocus: true });
  }
}

/** Saves edited previews of generated content: what the user reviewed and edited is what Apply deploys. */
async function saveEditedPreviews(project: Project): Promise<void> {
  const generated = vscode.Uri.joinPath(project.folder, '.clockwork', 'generated').path + '/';
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file' && document.uri.path.startsWith(generated)) await document.save();
  }
}

/** Re-plans an open plan document after a run changed what is deployed. */
async function refreshOpenPlan(cx: CommandContext, project: Project): Promise<void> {
  if (!cx.plans.isOpen(project)) return;
  const { planned, missing } = await planWithPyinfra(cx, project);
  if (planned.plan) cx.plans.refresh(project, planned.plan, pyinfraWarning(missing, project));
}

/** Apply: the plan first (unless `clockwork.confirmApply` is off), then deploy. */
async function apply(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  if (!vscode.workspace.isTrusted) return cx.runner.run('apply', target.project);
  if (confirmApply(target.project.folder)) {
    const { planned, missing } = await planWithPyinfra(cx, target.project);
    if (!planned.plan) {
      cx.runner.reportFailure(target.project, planned);
      return planned;
    }
    const selected = target.resource ? { ...planned.plan, resources: planned.plan.resources.filter((item) => item.name === target.resource), removals: [] } : planned.plan;
    await cx.plans.show(target.project, selected, pyinfraWarning(missing, target.project));
    if (missing) {
      // Said before anything is paid for: no question, no AI generation.
      const message = pyinfraMissingMessage('Apply', missing, target.project.folder);
      offerPyinfra(cx.ui, cx.output, 'error', message);
      return notRun('apply', message, 'pyinfra-missing');
    }
    const usesAi = selected.resources.some((item) => item.aiFields.length > 0);
    const question = `Apply ${target.resource ? `${target.resource} in ` : ''}${target.project.label}?`;
    let choice = await cx.ui.confirm(question, planSummary(selected), 'Apply', ...(usesAi ? ['Show generated content'] : []));
    if (choice === 'Show generated content') {
      const generated = await cx.runner.run('generate', target.project, resources(target));
      if (!generated.ok) return generated;
      await showGenerated(generated);
      choice = await cx.ui.confirm(question, `${planSummary(selected)}\nThe generated content is open in the editor: what you change there (and save) is what gets deployed.`, 'Apply');
    }
    if (choice !== 'Apply') {
      cx.output.info(`Apply of ${target.project.label} cancelled at the plan.`);
      return notRun('apply', 'Apply cancelled at the plan');
    }
  }
  await saveEditedPreviews(target.project);
  const result = await cx.runner.run('apply', target.project, resources(target));
  if (result.ok) cx.ui.notify('info', doneMessage(result, target.project));
  await refreshOpenPlan(cx, target.project);
  return result;
}

/** Assert: a run of its own in the Testing panel, and one notification. */
async function assert(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  if (!vscode.workspace.isTrusted) return cx.runner.run('assert', target.project);
  const result = await cx.tests.assertFromCommand(target.project, target.resource);
  if (!result.assertions) {
    if (result.error?.kind !== 'locked') cx.runner.reportFailure(target.project, result);
    return result;
  }
  const actions = result.ok ? [] : ['Show Test Results', 'Show Output'];
  cx.ui.notify(result.ok ? 'info' : 'warning', doneMessage(result, target.project), actions, (choice) => {
    if (choice === 'Show Test Results') void vscode.commands.executeCommand('testing.showMostRecentOutput');
    else cx.output.show(true);
  });
  return result;
}

async function generate(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  const result = await cx.runner.run('generate', target.project, { force: true, ...resources(target) });
  if (result.ok) {
    const previews = (result.generation ?? []).filter((item) => item.preview);
    cx.ui.notify('info', doneMessage(result, target.project), previews.length > 0 ? ['Show generated content'] : [], () => void showGenerated(result));
  }
  return result;
}

async function installPyinfra(cx: CommandContext): Promise<RunResult | undefined> {
  const projects = await findProjects();
  const folder = projects[0]?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    cx.ui.notify('warning', 'Clockwork: open a folder first: Install PyInfra runs "clockwork setup" for it.');
    return undefined;
  }
  const project = projects[0] ?? projectOf(vscode.Uri.joinPath(folder, 'clockwork.ts'));
  const result = await cx.runner.run('setup', project);
  if (result.ok) cx.ui.notify('info', `Clockwork: ${result.summary}`);
  return result;
}

/** Set API Key: typed into a password box; a string argument is accepted for automation. */
async function setApiKey(cx: CommandContext, given?: unknown): Promise<boolean> {
  const key =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: 'Clockwork: Set API Key',
          prompt: "The API key of your OpenAI-compatible endpoint (OpenRouter by default). Stored in VS Code's secret storage, never in settings.",
          password: true,
          ignoreFocusOut: true,
        });
  if (!key?.trim()) return false;
  await cx.context.secrets.store(API_KEY_SECRET, key.trim());
  await cx.clockwork.restart();
  cx.ui.notify('info', 'Clockwork: API key stored in the secret storage.');
  return true;
}

/** Clear API Key: asks first (the key may exist nowhere else). */
async function clearApiKey(cx: CommandContext): Promise<boolean> {
  if (!(await cx.context.secrets.get(API_KEY_SECRET))) {
    cx.ui.notify('info', 'Clockwork: no API key is stored in the secret storage.');
    return false;
  }
  const choice = await cx.ui.confirm(
    'Clear the stored API key?',
    'Clockwork removes the API key from VS Code\'s secret storage. AI generation then needs it again (Set API Key), unless OPENROUTER_API_KEY is set in the environment or .env.',
    'Clear API Key',
  );
  if (choice !== 'Clear API Key') return false;
  await cx.context.secrets.delete(API_KEY_SECRET);
  await cx.clockwork.restart();
  cx.ui.notify('info', 'Clockwork: API key removed from the secret storage.');
  return true;
}

/** Registers every command. */
export function registerCommands(cx: CommandContext): vscode.Disposable[] {
  const withTarget =
    (handler: (cx: CommandContext, target: CommandTarget) => Promise<RunResult>) =>
    async (argument?: unknown): Promise<RunResult | undefined> => {
      const target = await resolveTarget(argument);
      return target ? handler(cx, target) : undefined;
    };
  return [
    vscode.commands.registerCommand('clockwork.apply', withTarget(apply)),
    vscode.commands.registerCommand('clockwork.assert', withTarget(assert)),
    vscode.commands.registerCommand('clockwork.destroy', withTarget((context, target) => destroy(context, target, refreshOpenPlan))),
    vscode.commands.registerCommand('clockwork.plan', withTarget(plan)),
    vscode.commands.registerCommand('clockwork.generate', withTarget(generate)),
    vscode.commands.registerCommand('clockwork.installPyinfra', () => installPyinfra(cx)),
    vscode.commands.registerCommand('clockwork.showOutput', () => cx.output.show()),
    vscode.commands.registerCommand('clockwork.initProject', (folder?: vscode.Uri) => initProject(cx.clockwork, cx.ui, folder)),
    vscode.commands.registerCommand('clockwork.setApiKey', (given?: unknown) => setApiKey(cx, given)),
    vscode.commands.registerCommand('clockwork.clearApiKey', () => clearApiKey(cx)),
  ];
}

export { RESTRICTED_MESSAGE };
