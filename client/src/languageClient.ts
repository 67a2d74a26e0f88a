/**
 * The language client: starts the bundled server (`dist/server.cjs`) over stdio for
 * clockwork.ts files. The API key from SecretStorage reaches the server process only as its
 * OPENROUTER_API_KEY environment variable (never in an LSP message, which trace logs would
 * show); changing the key restarts the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV, VSCODE_INITIALIZATION_OPTIONS } from '../../server/src/protocol.js';
import type { Ui } from './ui.js';

/** Where the key is kept in SecretStorage. */
export const API_KEY_SECRET = 'clockwork.openrouterApiKey';

/** Owns the LanguageClient and its restarts. */
export class ClockworkClient implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly env: NodeJS.ProcessEnv;
  private started: Promise<void> | undefined;
  private readonly startedEmitter = new vscode.EventEmitter<void>();
  /** Fires each time the server (re)started, e.g. with a new API key. */
  readonly onDidStart = this.startedEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly ui: Ui,
  ) {
    const module = context.asAbsolutePath('dist/server.cjs');
    // The same object is read on every (re)start, so a new key only needs a restart.
    this.env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    const options = { env: this.env };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio, options: { ...options, execArgv: [...SERVER_EXEC_ARGV] } },
      debug: { module, transport: TransportKind.stdio, options: { ...options, execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', pattern: '**/clockwork.ts' },
        { scheme: 'file', pattern: '**/*.clockwork.ts' },
      ],
      outputChannel: output,
      diagnosticCollectionName: 'clockwork',
      // Asks for the custom notifications the extension handles (the server sends them to no other client).
      initializationOptions: VSCODE_INITIALIZATION_OPTIONS,
    };
    this.client = new LanguageClient('clockwork', 'Clockwork Language Server', serverOptions, clientOptions);
  }

  /** Starts the server once (later calls return the same promise). Failures offer actions. */
  start(): Promise<void> {
    this.started ??= this.applyKey().then(() => this.client.start()).then(() => this.startedEmitter.fire()).catch((error: unknown) => {
      this.reportStartFailure(error);
      throw error;
    });
    return this.started;
  }

  /** Resolves when the server is running (starting it if needed). */
  ready(): Promise<void> {
    return this.start();
  }

  /** Restarts the server with the current key (after Set / Clear API Key). */
  async restart(): Promise<void> {
    await this.start().catch(() => undefined);
    await this.applyKey();
    this.started = this.client.restart().then(() => this.startedEmitter.fire()).catch((error: unknown) => {
      this.reportStartFailure(error);
      throw error;
    });
    await this.started;
  }

  private async applyKey(): Promise<void> {
    const key = await this.context.secrets.get(API_KEY_SECRET);
    if (key) this.env['OPENROUTER_API_KEY'] = key;
    else if (process.env['OPENROUTER_API_KEY'] !== undefined) this.env['OPENROUTER_API_KEY'] = process.env['OPENROUTER_API_KEY'];
    else delete this.env['OPENROUTER_API_KEY'];
  }

  private reportStartFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.output.error(`The Clockwork language server could not start: ${message}`);
    this.ui.notify('error', `Clockwork's language server could not start: ${message}`, ['Show Output', 'Open Settings'], (choice) => {
      if (choice === 'Show Output') this.output.show();
      else void vscode.commands.executeCommand('workbench.action.openSettings', 'clockwork');
    });
  }

  dispose(): void {
    this.startedEmitter.dispose();
    void this.client.dispose();
  }
}
