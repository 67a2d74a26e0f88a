/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: `POST /v1/chat/completions`,
 * answers scripted per test (content, status, headers, latency, raw bodies). It checks the
 * Authorization header, counts requests and the most requests in flight at once, and keeps
 * every request body so tests can check prompts and response formats.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server received it. */
export interface ReceivedRequest {
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    max_tokens?: number;
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  };
  authorization: string | undefined;
}

/** What the server answers to one request. */
export interface ScriptedReply {
  /** HTTP status; 200 by default. */
  status?: number;
  /** The assistant's content (for a 200). */
  content?: string;
  /** The error message (for a status other than 200). */
  error?: string;
  /** A raw body sent as it is, instead of a completion or an error. */
  raw?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  latencyMs?: number;
  finishReason?: string;
}

/** Decides the reply to a request; `index` counts requests from 0. */
export type Responder = (request: ReceivedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>;

/** The fake endpoint. */
export class FakeOpenAI {
  readonly requests: ReceivedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Requests whose client went away before the answer. */
  abandoned = 0;
  responder: Responder = () => ({ content: 'Hello.' });

  private constructor(
    private readonly server: http.Server,
    readonly apiKey: string,
  ) {}

  /** Starts a server that accepts `apiKey`. */
  static async start(apiKey = 'sk-test-0123456789abcdef'): Promise<FakeOpenAI> {
    const holder: { fake?: FakeOpenAI } = {};
    const server = http.createServer((request, response) => void holder.fake?.handle(request, response));
    const fake = new FakeOpenAI(server, apiKey);
    holder.fake = fake;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL to give the SDK (ends in /v1). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Sets how the server answers, and forgets earlier requests. */
  script(responder: Responder): void {
    this.responder = responder;
    this.reset();
  }

  /** Forgets the requests and in-flight counts so far. */
  reset(): void {
    this.requests.length = 0;
    this.maxInFlight = this.inFlight;
    this.abandoned = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method === 'GET' && request.url === '/v1/_stats') {
      // For a server run in another process (the benchmark): its counts, then a reset.
      send(response, 200, { requests: this.requests.length, maxInFlight: this.maxInFlight });
      this.reset();
      return;
    }
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      send(response, 404, { error: { message: `No route ${request.method} ${request.url}` } });
      return;
    }
    const authorization = request.headers.authorization;
    const received: ReceivedRequest = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), authorization };
    const index = this.requests.push(received) - 1;
    if (authorization !== `Bearer ${this.apiKey}`) {
      // Like real endpoints, the error echoes (part of) the key it got: Clockwork must redact it.
      const given = authorization?.replace(/^Bearer /, '') ?? '';
      send(response, 401, { error: { message: `Incorrect API key provided: ${given}`, code: 'invalid_api_key' } });
      return;
    }
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let closed = false;
    response.on('close', () => {
      if (!response.writableFinished) {
        closed = true;
        this.abandoned += 1;
      }
    });
    try {
      const reply = await this.responder(received, index);
      if (reply.latencyMs) await new Promise((resolve) => setTimeout(resolve, reply.latencyMs));
      if (closed) return;
      const status = reply.status ?? 200;
      if (reply.raw !== undefined) {
        response.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
        response.end(reply.raw);
      } else if (status !== 200) {
        send(response, status, { error: { message: reply.error ?? `status ${status}` } }, reply.headers);
      } else {
        send(response, 200, completion(received.body.model ?? 'unknown', reply.content ?? '', reply.finishReason ?? 'stop'), reply.headers);
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}

function completion(model: string, content: string, finishReason: string): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
  };
}

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The reply of an endpoint that does not support a response format. */
export function rejectFormat(type: string): ScriptedReply {
  return { status: 400, error: `response_format type "${type}" is not supported by this model` };
}
