/**
 * The parts of the LSP lifecycle `vscode-languageserver` leaves to the server:
 *  - after `shutdown`, every request is answered with the `InvalidRequest` error (the spec's
 *    rule), whoever registered its handler;
 *  - custom notifications the client did not ask for are not sent: a client lists the
 *    server → client notifications it handles in `initializationOptions` (the VS Code client
 *    does; Neovim, Helix and others do not, and get only standard LSP).
 */
import {
  ErrorCodes,
  Message,
  ResponseError,
  type Connection,
  type ConnectionOptions,
  type NotificationType,
  type RequestMessage,
} from 'vscode-languageserver/node';
import { clockworkInitializationOptions, type ClockworkInitializationOptions } from '../protocol.js';

/** The method a request received after `shutdown` is dispatched to (it answers InvalidRequest). */
const AFTER_SHUTDOWN = '$/clockwork/afterShutdown';

/** Tracks `shutdown` and what the client handles. */
export class Lifecycle {
  private shutdown = false;
  private notifications = new Set<string>();
  private clientOptions = clockworkInitializationOptions(undefined);

  /** Connection options that route every request after `shutdown` to the InvalidRequest answer. */
  readonly connectionOptions: ConnectionOptions = {
    messageStrategy: {
      handleMessage: (message, next) => {
        if (!Message.isRequest(message)) return next(message);
        if (this.shutdown) {
          const rejected: RequestMessage = { jsonrpc: message.jsonrpc, id: message.id, method: AFTER_SHUTDOWN, params: { method: message.method } };
          return next(rejected);
        }
        if (message.method === 'shutdown') this.shutdown = true;
        return next(message);
      },
    },
  };

  /** Registers the InvalidRequest answer; call once the connection exists. */
  register(connection: Connection): void {
    connection.onRequest(AFTER_SHUTDOWN, (params: { method?: unknown }) => {
      throw new ResponseError(ErrorCodes.InvalidRequest, `${String(params.method)}: the server is shutting down (shutdown was requested), so it takes no more requests.`);
    });
  }

  /** True once `shutdown` has been received. */
  get shuttingDown(): boolean {
    return this.shutdown;
  }

  /** Reads what the client said it handles from `initialize`'s `initializationOptions`. */
  initialize(initializationOptions: unknown): ClockworkInitializationOptions {
    this.clientOptions = clockworkInitializationOptions(initializationOptions);
    this.notifications = new Set(this.clientOptions.notifications);
    return this.clientOptions;
  }

  /** Sends a custom notification only when the client said it handles it. */
  notify<P>(connection: Connection, type: NotificationType<P>, params: P): void {
    if (this.shutdown || !this.notifications.has(type.method)) return;
    void connection.sendNotification(type.method, params);
  }
}
