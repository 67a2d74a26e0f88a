/** The Clockwork commands (category "Clockwork"), each returning its result for callers and tests. */
import * as vscode from 'vscode';
import { StateRequest, type RunResult } from '../../server/src/protocol.js';
import { initProject } from './initProject.js';
import { API_KEY_SECRET, type ClockworkClient } from './languageClient.js';
import { planSummary, type PlanDocuments } from './planDocument.js';
import { findProjects, projectOf, resolveTarget, type CommandTarget } from './projects.js';
import { RESTRICTED_MESSAGE, type Runner } from './runner.js';
import { confirmApply, runSettings } from './settings.js';
import type { ClockworkTests } from './testing.js';
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

function cancelledResult(command: RunResult['command'], summary: string): RunResult {
  return { command, ok: false, cancelled: true, summary, error: { kind: 'cancelled', message: summary }, durationMs: 0 };
}

/** `Clockwork: <summary> in <project>.`, the summary's own full stop dropped. */
function done(result: RunResult, target: CommandTarget): string {
  return `Clockwork: ${result.summary.replace(/\.$/, '')} in ${target.project.label}.`;
}

function resources(target: CommandTarget): string[] | undefined {
  return target.resource ? [target.resource] : undefined;
}

/** Plan: opens the plan document. */
async function plan(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  const result = await cx.runner.run('plan', target.project);
  if (result.plan) await cx.plans.show(target.project.label, result.plan);
  else cx.runner.reportFailure(target.project, result);
  return result;
}

/** Opens the readable previews of what the AI generated. */
async function showGenerated(result: RunResult): Promise<void> {
  for (const item of result.generation ?? []) {
    if (!item.preview) continue;
    await vscode.window.showTextDocument(vscode.Uri.file(item.preview), { preview: false, preserveFocus: true });
  }
}

/** Apply: the plan first (unless `clockwork.confirmApply` is off), then deploy. */
async function apply(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  if (!vscode.workspace.isTrusted) return cx.runner.run('apply', target.project);
  if (confirmApply(target.project.folder)) {
    const planned = await cx.runner.run('plan', target.project);
    if (!planned.plan) {
      cx.runner.reportFailure(target.project, planned);
      return planned;
    }
    const selected = target.resource ? { ...planned.plan, resources: planned.plan.resources.filter((item) => item.name === target.resource), removals: [] } : planned.plan;
    await cx.plans.show(target.project.label, selected);
    const usesAi = selected.resources.some((item) => item.aiFields.length > 0);
    const question = `Apply ${target.resource ? `${target.resource} in ` : ''}${target.project.label}?`;
    let choice = await cx.ui.confirm(question, planSummary(selected), 'Apply', ...(usesAi ? ['Show generated content'] : []));
    if (choice === 'Show generated content') {
      const generated = await cx.runner.run('generate', target.project, resources(target) ? { resources: resources(target) as string[] } : {});
      if (!generated.ok) return generated;
      await showGenerated(generated);
      choice = await cx.ui.confirm(question, `${planSummary(selected)}\nThe generated content is open in the editor.`, 'Apply');
    }
    if (choice !== 'Apply') {
      cx.output.info(`Apply of ${target.project.label} cancelled at the plan.`);
      return cancelledResult('apply', 'Apply cancelled at the plan');
    }
  }
  const result = await cx.runner.run('apply', target.project, resources(target) ? { resources: resources(target) as string[] } : {});
  if (result.ok) cx.ui.notify('info', done(result, target));
  return result;
}

/** Destroy: a modal listing exactly what the state says will be removed. */
async function destroy(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  if (!vscode.workspace.isTrusted) return cx.runner.run('destroy', target.project);
  await cx.clockwork.ready();
  const records = await cx.clockwork.client.sendRequest(StateRequest, {
    folderUri: target.project.folder.toString(),
    trusted: true,
    settings: runSettings(target.project.folder),
    ...(target.resource ? { resources: [target.resource] } : {}),
  });
  if (records.length === 0) {
    const message = `Clockwork: nothing to destroy in ${target.project.label}${target.resource ? ` for ${target.resource}` : ''}: no resource is recorded as deployed.`;
    cx.ui.notify('info', message);
    return { command: 'destroy', ok: true, cancelled: false, summary: message, durationMs: 0 };
  }
  const detail = records
    .map((record) => `- ${record.kind} ${record.name}: ${record.target.type === 'file' ? record.target.id : `container ${record.target.id}`} on ${record.host}`)
    .join('\n');
  const choice = await cx.ui.confirm(`Destroy ${records.length} resource(s) deployed from ${target.project.label}?`, `This removes:\n${detail}`, 'Destroy');
  if (choice !== 'Destroy') return cancelledResult('destroy', 'Destroy cancelled');
  const result = await cx.runner.run('destroy', target.project, resources(target) ? { resources: resources(target) as string[] } : {});
  if (result.ok) cx.ui.notify('info', done(result, target));
  return result;
}

async function assert(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  const result = await cx.runner.run('assert', target.project, resources(target) ? { resources: resources(target) as string[] } : {});
  await cx.tests.showCommandResults(target.project.file, result).catch(() => undefined);
  if (result.assertions) cx.ui.notify(result.ok ? 'info' : 'warning', done(result, target), result.ok ? [] : ['Show Output'], () => cx.output.show(true));
  return result;
}

async function generate(cx: CommandContext, target: CommandTarget): Promise<RunResult> {
  const result = await cx.runner.run('generate', target.project, { force: true, ...(resources(target) ? { resources: resources(target) as string[] } : {}) });
  if (result.ok) {
    const previews = (result.generation ?? []).filter((item) => item.preview);
    cx.ui.notify('info', done(result, target), previews.length > 0 ? ['Show generated content'] : [], () => void showGenerated(result));
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
    vscode.commands.registerCommand('clockwork.destroy', withTarget(destroy)),
    vscode.commands.registerCommand('clockwork.plan', withTarget(plan)),
    vscode.commands.registerCommand('clockwork.generate', withTarget(generate)),
    vscode.commands.registerCommand('clockwork.installPyinfra', () => installPyinfra(cx)),
    vscode.commands.registerCommand('clockwork.showOutput', () => cx.output.show()),
    vscode.commands.registerCommand('clockwork.initProject', (folder?: vscode.Uri) => initProject(cx.clockwork, cx.ui, folder)),
    // The key is typed into a password box; a string argument is accepted for automation.
    vscode.commands.registerCommand('clockwork.setApiKey', async (given?: unknown) => {
      const key =
        typeof given === 'string'
          ? given
          : await vscode.window.showInputBox({
              title: 'Clockwork: Set API Key',
              prompt: 'The API key of your OpenAI-compatible endpoint (OpenRouter by default). Stored in VS Code\'s secret storage, never in settings.',
              password: true,
              ignoreFocusOut: true,
            });
      if (!key?.trim()) return false;
      await cx.context.secrets.store(API_KEY_SECRET, key.trim());
      await cx.clockwork.restart();
      cx.ui.notify('info', 'Clockwork: API key stored in the secret storage.');
      return true;
    }),
    vscode.commands.registerCommand('clockwork.clearApiKey', async () => {
      await cx.context.secrets.delete(API_KEY_SECRET);
      await cx.clockwork.restart();
      cx.ui.notify('info', 'Clockwork: API key removed from the secret storage.');
      return true;
    }),
  ];
}

export { RESTRICTED_MESSAGE };
