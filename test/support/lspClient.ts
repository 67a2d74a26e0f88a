/**
 * A real LSP client for tests and benchmarks: spawns the built language server
 * (`node dist/server.cjs --stdio`) and talks to it over stdio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { SERVER_EXEC_ARGV, VSCODE_INITIALIZATION_OPTIONS } from '../../server/src/protocol.js';
import { repoRoot } from './tempProject.js';

/** A running language server and the client connection to it. */
export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` (optionally: for that version). */
  nextDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams>;
  /** Sends shutdown + exit and waits for the process to end; returns its exit code. */
  stop(): Promise<number | null>;
  /** What the server wrote to stderr. */
  stderr(): string;
  /** The server's answer to `initialize`. */
  initializeResult: InitializeResult;
}

/** Starts the server and completes `initialize` / `initialized`. */
export async function startLanguageServer(
  options: {
    rootUri?: string;
    codeLensRefresh?: boolean;
    env?: Record<string, string>;
    /** The client inserts snippets (default true, as VS Code). */
    snippetSupport?: boolean;
    /** `initializationOptions` (default: what the VS Code client sends). */
    initializationOptions?: unknown;
  } = {},
): Promise<LspSession> {
  const env = options.env ? { ...process.env, ...options.env } : process.env;
  // Started as the VS Code client starts it.
  const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, path.join(repoRoot, 'dist/server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiters: { uri: string; version: number | undefined; resolve: (params: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const index = waiters.findIndex((waiter) => waiter.uri === params.uri && (waiter.version === undefined || waiter.version === params.version));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(params);
  });
  connection.listen();
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: options.rootUri ?? null,
    capabilities: {
      workspace: { codeLens: { refreshSupport: options.codeLensRefresh ?? false } },
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        completion: { completionItem: { snippetSupport: options.snippetSupport ?? true } },
      },
    },
    initializationOptions: 'initializationOptions' in options ? options.initializationOptions : VSCODE_INITIALIZATION_OPTIONS,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    connection,
    process: child,
    nextDiagnostics: (uri, version) => new Promise((resolve) => waiters.push({ uri, version, resolve })),
    async stop() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      const code = await exited;
      connection.dispose();
      return code;
    },
    stderr: () => stderr,
    initializeResult,
  };
}
