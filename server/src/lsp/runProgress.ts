/** A run's events sent to the VS Code client: `clockwork/progress` steps and `clockwork/output` lines. */
import type { Connection } from 'vscode-languageserver/node';
import type { RunReporter } from '../pipeline/events.js';
import { viewEvent } from '../render/events.js';
import { RunOutputNotification, RunProgressNotification, type RunProgressParams } from '../protocol.js';
import { wireAssertion } from './wire.js';

/** Reports the run `runId` to the client; paths in lines are shown relative to `projectDir`. */
export function notificationReporter(connection: Connection, runId: string, projectDir: string): RunReporter {
  return (event) => {
    const view = viewEvent(event, projectDir);
    for (const line of view.lines) void connection.sendNotification(RunOutputNotification, { runId, level: line.level, line: line.text });
    if (view.progress === undefined) return;
    const params: RunProgressParams = { runId, message: view.progress };
    if (event.type === 'assertion') params.result = wireAssertion(event.result);
    if (event.type === 'step' && event.step === 'checking') {
      params.checks = event.checks.map((check) => ({ resource: check.resource, index: check.assertion.index, isDefault: check.isDefault }));
    }
    void connection.sendNotification(RunProgressNotification, params);
  };
}
