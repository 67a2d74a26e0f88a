/**
 * The Clockwork extension: starts the language server for clockwork.ts, registers the
 * commands, the plan documents, the Testing panel and the status items. Activation only
 * wires things up (the server starts in the background), and reports its own duration.
 */
import * as vscode from 'vscode';
import type { RunResult } from '../../server/src/protocol.js';
import { registerCommands } from './commands.js';
import { ClockworkClient } from './languageClient.js';
import { ClockworkFiles } from './clockworkFiles.js';
import { PlanDocuments } from './planDocument.js';
import { ProjectPresence } from './projects.js';
import { Runner } from './runner.js';
import { StatusItems } from './status.js';
import { ClockworkTests } from './testing/tests.js';
import { Ui } from './ui.js';

/** What the extension exports (used by its tests; stable enough for other extensions to read). */
export interface ClockworkApi {
  apiVersion: 1;
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** Resolves when the language server runs. */
  clientReady: Promise<void>;
  clockwork: ClockworkClient;
  tests: ClockworkTests;
  /** Whether the workspace has a clockwork.ts (the `clockwork.hasProject` context key). */
  projects: ProjectPresence;
  /** The plan documents. */
  plans: PlanDocuments;
  status: StatusItems;
  runner: Runner;
  /** Messages and modal questions; tests replace `ui.ask` to answer modals. */
  ui: Ui;
  /** The latest run's result. */
  lastResult(): RunResult | undefined;
}

/** Activates the extension. */
export function activate(context: vscode.ExtensionContext): ClockworkApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Clockwork', { log: true });
  const ui = new Ui();
  const clockwork = new ClockworkClient(context, output, ui);
  const runner = new Runner(clockwork, output, ui);
  const plans = new PlanDocuments();
  const files = new ClockworkFiles();
  const tests = new ClockworkTests(clockwork, runner, ui, files);
  const status = new StatusItems(clockwork, runner);
  const projects = new ProjectPresence(files);
  context.subscriptions.push(output, clockwork, runner, plans, files, tests, status, projects, ...registerCommands({ context, clockwork, runner, plans, output, ui, tests }));

  // Everything slow happens after activation returns.
  const clientReady = clockwork.start();
  clientReady.then(
    () => {
      void status.refresh();
      // The Testing panel's items, from the server's static parse of each clockwork.ts.
      void tests.discover().catch((error: unknown) => output.warn(`Could not list the assertions for the Testing panel: ${String(error)}`));
    },
    () => undefined,
  );
  // Plan, Apply… show in the palette while the workspace has a clockwork.ts (tracked as files come and go).
  void projects.update();
  const activationMs = performance.now() - started;
  output.info(`Clockwork activated in ${activationMs.toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: Plan, Apply, Assert, Destroy and Generate are off)'}`);
  return {
    apiVersion: 1,
    activationMs,
    clientReady,
    clockwork,
    tests,
    projects,
    plans,
    status,
    runner,
    ui,
    lastResult: () => runner.lastRun?.result,
  };
}

/** Nothing to do: every part is in context.subscriptions. */
export function deactivate(): void {}
