/**
 * Apply, Assert and Destroy for any LSP editor (issue 17), through `workspace/executeCommand`
 * with the commands CodeLens shows (`clockwork.apply`, …; argument `{ uri, resource? }`). They
 * run on the editors' run layer (runService.ts). Progress goes out as `$/progress` under the
 * client's work-done token, or one the server creates; the outcome as `window/showMessage`;
 * a run's lines as `window/logMessage`; failed assertions as diagnostics at their declarations.
 * Runs execute clockwork.ts, so they need `initializationOptions.clockwork.trusted` (off unless
 * the user sets it, like VS Code's Restricted Mode). The VS Code client runs these commands
 * itself and gets none of this (it would register the same command names twice).
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  MessageType,
  ShowMessageNotification,
  type CancellationToken,
  type Connection,
  type ExecuteCommandParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import type { AssertionFailure } from '../language/assertionDiagnostics.js';
import { ClockworkCommands, type RunCommand, type RunResult, type WireAssertionResult } from '../protocol.js';
import { viewEvent } from '../render/events.js';
import type { RunService } from './runService.js';

/** The commands offered through `workspace/executeCommand`, and the run each one starts. */
const COMMANDS: Record<string, { run: RunCommand; title: string }> = {
  [ClockworkCommands.apply]: { run: 'apply', title: 'Apply' },
  [ClockworkCommands.assert]: { run: 'assert', title: 'Assert' },
  [ClockworkCommands.destroy]: { run: 'destroy', title: 'Destroy' },
};

/** The command names to advertise in `executeCommandProvider`. */
export const EXECUTABLE_COMMANDS: readonly string[] = Object.keys(COMMANDS);

/** Said when runs are off: how to turn them on in an editor that is not VS Code. */
export const NOT_TRUSTED_MESSAGE =
  'Clockwork runs clockwork.ts (which executes code from this project) only when you trust it: start the language server with initializationOptions { clockwork: { trusted: true } } (see the README, "Other editors").';

/** What executing a command needs from the server. */
export interface ExecuteCommandContext {
  runs: RunService;
  /** `initializationOptions.clockwork.trusted`. */
  trusted(): boolean;
  /** The assert results of a document changed (a new Assert, or a Destroy that makes them unknown). */
  onAssertResults(uri: string, failures: AssertionFailure[]): void;
}

/** The argument of a command: which clockwork.ts, and optionally which resource. */
interface CommandTarget {
  uri: string;
  resource?: string;
}

function targetOf(params: ExecuteCommandParams): CommandTarget | undefined {
  const argument: unknown = params.arguments?.[0];
  if (typeof argument !== 'object' || argument === null) return undefined;
  const { uri, resource } = argument as { uri?: unknown; resource?: unknown };
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  return typeof resource === 'string' ? { uri, resource } : { uri };
}

/** Failed and errored assertion results, as the language feature places them. */
export function failuresOf(results: readonly WireAssertionResult[]): AssertionFailure[] {
  return results.flatMap((result): AssertionFailure[] =>
    result.status === 'passed'
      ? []
      : [
          {
            resource: result.resource,
            kind: result.assertion.kind,
            index: result.assertion.index,
            isDefault: result.isDefault,
            host: result.host,
            status: result.status,
            message: result.message,
            expected: result.expected,
            actual: result.actual,
            ...(result.location ? { line: result.location.line } : {}),
          },
        ],
  );
}

/** The message type of a run's outcome: info when it all worked, a warning when checks failed, an error otherwise. */
function messageType(result: RunResult): MessageType {
  if (result.ok) return MessageType.Info;
  return result.error || result.cancelled ? MessageType.Error : MessageType.Warning;
}

/** Registers `workspace/executeCommand` for Apply, Assert and Destroy. */
export function registerExecuteCommand(connection: Connection, context: ExecuteCommandContext): void {
  // A notification: `connection.window.show…Message` sends the request form, which not every client answers.
  const show = (type: MessageType, message: string): void => void connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => undefined);
  connection.onExecuteCommand(async (params, token, workDone): Promise<RunResult | null> => {
    const command = COMMANDS[params.command];
    const target = targetOf(params);
    if (!command || !target) {
      show(MessageType.Error, `Clockwork: ${params.command} needs an argument { uri: "file:///…/clockwork.ts", resource?: "name" }.`);
      return null;
    }
    if (!context.trusted()) {
      show(MessageType.Warning, NOT_TRUSTED_MESSAGE);
      return null;
    }
    const projectDir = path.dirname(fileURLToPath(target.uri));
    // The client's token when it sent one; else one the server creates (if the client supports it).
    const progress: WorkDoneProgressReporter = params.workDoneToken !== undefined ? workDone : await connection.window.createWorkDoneProgress();
    const cancel = new CancellationTokenSource();
    const cancellations = [token, (progress as { token?: CancellationToken }).token].flatMap((source) => (source ? [source.onCancellationRequested(() => cancel.cancel())] : []));
    progress.begin(`Clockwork: ${command.title}`, undefined, target.resource ?? path.basename(target.uri), true);
    try {
      const result = await context.runs.run(
        {
          command: command.run,
          folderUri: pathToFileURL(projectDir).href,
          trusted: true,
          ...(target.resource ? { resources: [target.resource] } : {}),
          settings: {},
        },
        (event) => {
          const view = viewEvent(event, projectDir);
          for (const line of view.lines) {
            if (line.level === 'debug') continue;
            connection.console[line.level === 'warn' ? 'warn' : line.level === 'error' ? 'error' : 'info'](line.text);
          }
          if (view.progress !== undefined) progress.report(view.progress);
        },
        cancel.token,
      );
      if (command.run === 'assert' && result.assertions) context.onAssertResults(target.uri, failuresOf(result.assertions));
      if (command.run === 'destroy' && result.ok) context.onAssertResults(target.uri, []);
      const detail = result.error && !result.summary.includes(result.error.message) ? `\n${result.error.message}` : '';
      // The progress ends before the outcome is said, so the editor shows them in that order.
      progress.done();
      show(messageType(result), `${result.summary}${detail}`);
      return result;
    } catch (error) {
      progress.done();
      throw error;
    } finally {
      for (const disposable of cancellations) disposable.dispose();
      cancel.dispose();
    }
  });
}
