/**
 * Destroy: a modal that lists exactly what goes (what apply recorded, the folders it created,
 * and `.clockwork/` with the AI's work), offering to keep `.clockwork/`; afterwards the
 * results of what was removed become unknown and an open plan is refreshed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { StateRequest, type DestroyPreview, type RunResult } from '../../server/src/protocol.js';
import type { CommandContext } from './commands.js';
import type { CommandTarget, Project } from './projects.js';
import { offerPyinfra, pyinfraMissingMessage, pyinfraStatus } from './pyinfra.js';
import { doneMessage } from './runner.js';
import { runSettings } from './settings.js';

/** The modal's answer that keeps `.clockwork/` (the CLI's `--keep-files`). */
export const KEEP_FILES = 'Destroy, Keep .clockwork/';

function notRun(summary: string, kind: 'cancelled' | 'pyinfra-missing' = 'cancelled'): RunResult {
  return { command: 'destroy', ok: false, cancelled: kind === 'cancelled', summary, error: { kind, message: summary }, durationMs: 0 };
}

/** A path for people: relative to the project's folder when inside it. */
function shown(file: string, project: Project): string {
  const relative = path.relative(project.folder.fsPath, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The modal's detail: every thing that goes, one line each. */
export function destroyDetail(preview: DestroyPreview, project: Project): string {
  const host = (name: string): string => (name === '@local' ? '' : ` on ${name}`);
  const lines = preview.records.map(
    (record) => `- ${record.kind} ${record.name}: ${record.target.type === 'file' ? shown(record.target.id, project) : `container ${record.target.id}`}${host(record.host)}`,
  );
  for (const folder of preview.folders) lines.push(`- the folder ${shown(folder.path, project)}/${host(folder.host)} that Apply created, once it is empty`);
  if (preview.removesStateDir) {
    const ai = preview.generatedFiles > 0 ? `, and the AI's generated content (${preview.generatedFiles} file${preview.generatedFiles === 1 ? '' : 's'}) with its cache: the next Apply asks the AI again` : '';
    lines.push(`- .clockwork/: the record of what was deployed, the PyInfra programs, the assertion results${ai}`);
  }
  const keep = preview.removesStateDir ? `\n\n"${KEEP_FILES}" keeps .clockwork/ (the command line's --keep-files).` : '';
  return `This removes:\n${lines.join('\n')}${keep}`;
}

/** Runs the command. */
export async function destroy(
  cx: CommandContext,
  target: CommandTarget,
  refreshOpenPlan: (cx: CommandContext, project: Project) => Promise<void>,
): Promise<RunResult> {
  if (!vscode.workspace.isTrusted) return cx.runner.run('destroy', target.project);
  await cx.clockwork.ready();
  const [preview, pyinfra] = await Promise.all([
    cx.clockwork.client.sendRequest(StateRequest, {
      folderUri: target.project.folder.toString(),
      trusted: true,
      settings: runSettings(target.project.folder),
      ...(target.resource ? { resources: [target.resource] } : {}),
    }),
    pyinfraStatus(cx.clockwork, target.project),
  ]);
  if (preview.records.length === 0) {
    const message = `Clockwork: nothing to destroy in ${target.project.label}${target.resource ? ` for ${target.resource}` : ''}: no resource is recorded as deployed.`;
    cx.ui.notify('info', message);
    return { command: 'destroy', ok: true, cancelled: false, summary: message, durationMs: 0 };
  }
  if (pyinfra && !pyinfra.found) {
    const message = pyinfraMissingMessage('Destroy', pyinfra.problem ?? 'PyInfra was not found.', target.project.folder);
    offerPyinfra(cx.ui, cx.output, 'error', message);
    return notRun(message, 'pyinfra-missing');
  }
  const choices = preview.removesStateDir ? ['Destroy', KEEP_FILES] : ['Destroy'];
  const choice = await cx.ui.confirm(`Destroy ${preview.records.length} resource(s) deployed from ${target.project.label}?`, destroyDetail(preview, target.project), ...choices);
  if (choice !== 'Destroy' && choice !== KEEP_FILES) return notRun('Destroy cancelled');
  const result = await cx.runner.run('destroy', target.project, {
    ...(target.resource ? { resources: [target.resource] } : {}),
    ...(choice === KEEP_FILES ? { keepFiles: true } : {}),
  });
  if (result.ok) cx.ui.notify('info', doneMessage(result, target.project));
  // What was removed is no longer known to pass; its results go (the server trims results.json).
  const removed = new Set((result.resources ?? []).filter((item) => item.status !== 'failed').map((item) => item.resource));
  if (removed.size > 0) cx.tests.forget(target.project.file, [...removed]);
  await refreshOpenPlan(cx, target.project);
  return result;
}
