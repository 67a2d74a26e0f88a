/**
 * The one place that talks to an OpenAI-compatible endpoint, through the openai SDK. The
 * SDK does the timeout and the retries with backoff (429, 5xx, connection errors, honouring
 * `retry-after`); this module turns its errors into messages that name the resource and the
 * endpoint, with the API key redacted.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Settings } from '../settings.js';
import { AiRequestError } from './errors.js';

/** How many times the SDK retries a request after a 429, a 5xx or a connection failure. */
export const MAX_RETRIES = 2;

/** Tokens used by one or more requests. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** How a structured answer is asked for, best first; the endpoint may reject the first two. */
export type StructuredMode = 'json_schema' | 'json_object' | 'text';

/** One chat completion request. */
export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  maxTokens: number;
  responseFormat?: ChatCompletionCreateParamsNonStreaming['response_format'];
  signal: AbortSignal;
  /** Who the request is for, e.g. `FileResource "notes.md"`: every error message starts with it. */
  subject: string;
}

/** One chat completion answer. */
export interface ChatAnswer {
  text: string;
  /** `length` when the token limit cut the answer short. */
  finishReason: string | undefined;
  usage: TokenUsage;
}

/** The endpoint rejected the requested `response_format` (a 400 that says so). */
export class ResponseFormatRejected extends Error {
  override name = 'ResponseFormatRejected';
}

/** The request was cancelled through its AbortSignal. */
export class RequestCancelled extends Error {
  override name = 'RequestCancelled';
}

/** An OpenAI-compatible endpoint and model, as configured in the settings. */
export class AiEndpoint {
  readonly model: string;
  /** The base URL for messages: no credentials, no query. */
  readonly displayUrl: string;
  /** Requests sent so far (each attempt the SDK makes counts once at the server, not here). */
  requests = 0;
  readonly #client: OpenAI;
  readonly #settings: Settings;

  constructor(settings: Settings) {
    if (!settings.apiKey) throw new Error('AiEndpoint needs an API key (checked by generateProject)');
    this.#settings = settings;
    this.model = settings.model;
    this.displayUrl = displayUrl(settings.baseUrl);
    this.#client = new OpenAI({
      baseURL: settings.baseUrl,
      apiKey: settings.apiKey.reveal(),
      timeout: settings.aiTimeoutMs,
      maxRetries: MAX_RETRIES,
      // Nothing from OPENAI_* environment variables leaks into requests, and the SDK logs nothing.
      organization: null,
      project: null,
      logLevel: 'off',
    });
  }

  /**
   * The token-limit parameter the endpoint takes: `max_tokens` (OpenRouter, local servers),
   * or `max_completion_tokens` after an endpoint rejected the former (OpenAI's reasoning models).
   */
  #tokenParameter: 'max_tokens' | 'max_completion_tokens' = 'max_tokens';

  /** Sends one chat completion; throws AiRequestError, ResponseFormatRejected or RequestCancelled. */
  async chat(request: ChatRequest): Promise<ChatAnswer> {
    try {
      return await this.#send(request);
    } catch (error) {
      const rejectsMaxTokens =
        error instanceof OpenAI.BadRequestError && this.#tokenParameter === 'max_tokens' && /max_completion_tokens/.test(serverDetail(error));
      if (!rejectsMaxTokens) throw this.translate(error, request);
      this.#tokenParameter = 'max_completion_tokens';
      try {
        return await this.#send(request);
      } catch (retryError) {
        throw this.translate(retryError, request);
      }
    }
  }

  /** One request as it is, errors untranslated. */
  async #send(request: ChatRequest): Promise<ChatAnswer> {
    this.requests += 1;
    const completion = await abortable(
      this.#client.chat.completions.create(
        {
          model: this.model,
          messages: request.messages,
          [this.#tokenParameter]: request.maxTokens,
          ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
        },
        { signal: request.signal },
      ),
      request.signal,
    );
    const choice = (completion as { choices?: typeof completion.choices }).choices?.[0];
    if (!choice) {
      throw new AiRequestError(
        this.redact(`${request.subject}: ${this.where()} answered with something that is not a chat completion (no choices); is OPENROUTER_BASE_URL (--base-url) the API's base URL?`),
      );
    }
    return {
      text: choice.message?.content ?? '',
      finishReason: choice.finish_reason ?? undefined,
      usage: {
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
        totalTokens: completion.usage?.total_tokens ?? 0,
      },
    };
  }

  /** "the AI endpoint URL (model M)", for messages. */
  where(): string {
    return `the AI endpoint ${this.displayUrl} (model ${JSON.stringify(this.model)})`;
  }

  /** Removes the API key from a text. */
  redact(text: string): string {
    return this.#settings.apiKey ? this.#settings.apiKey.redact(text) : text;
  }

  private translate(error: unknown, request: ChatRequest): Error {
    if (error instanceof AiRequestError || error instanceof RequestCancelled) return error;
    if (error instanceof OpenAI.APIUserAbortError || request.signal.aborted) return new RequestCancelled('cancelled');
    const subject = request.subject;
    const where = this.where();
    const seconds = Math.round(this.#settings.aiTimeoutMs / 1000);
    let message: string;
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      message = `${where} did not answer within ${seconds} s (tried ${MAX_RETRIES + 1} times); raise CLOCKWORK_AI_TIMEOUT for a slow model`;
    } else if (error instanceof OpenAI.APIConnectionError) {
      const code = causeCode(error);
      message =
        `cannot reach ${where}${code ? ` (${code === 'ECONNREFUSED' ? 'connection refused' : code})` : ''} after ${MAX_RETRIES + 1} attempts: ` +
        'is the server running and is OPENROUTER_BASE_URL (--base-url) right?';
    } else if (error instanceof OpenAI.APIError) {
      const detail = serverDetail(error);
      const status = error.status;
      if ((status === 400 || status === 422) && request.responseFormat && /response_format|json_schema|json_object|structured|json mode|schema/i.test(detail)) {
        return new ResponseFormatRejected(this.redact(detail));
      }
      if (status === 401) {
        message = `${where} rejected the API key (401 Unauthorized: ${detail}); check OPENROUTER_API_KEY or --api-key`;
      } else if (status === 403) {
        message = `${where} refused the request (403 Forbidden: ${detail}); check the key's permissions and credit`;
      } else if (status === 404) {
        message =
          `${where} answered 404 Not Found (${detail}): the model may not exist there (check OPENROUTER_MODEL or --model), ` +
          'or the base URL is not an OpenAI-compatible API (it usually ends in /v1; check OPENROUTER_BASE_URL or --base-url)';
      } else if (status === 429) {
        message = `${where} is rate-limiting requests (429 Too Many Requests: ${detail}) and still was after ${MAX_RETRIES} retries; wait and try again, or lower CLOCKWORK_AI_CONCURRENCY`;
      } else if (status !== undefined && status >= 500) {
        message = `${where} failed with ${status} (${detail}) after ${MAX_RETRIES} retries; try again later`;
      } else {
        message = `${where} rejected the request (${status ?? 'no status'}: ${detail})`;
      }
    } else if (error instanceof SyntaxError) {
      message = `${where} answered with something that is not an OpenAI-compatible JSON response (${error.message}); is OPENROUTER_BASE_URL (--base-url) the API's base URL?`;
    } else {
      message = `${where} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    return new AiRequestError(this.redact(`${subject}: ${message}`));
  }
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts (the SDK's retry sleep is not abortable). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new RequestCancelled('cancelled'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new RequestCancelled('cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The error text the server sent (its `error.message`), short. */
function serverDetail(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d+\s+/, '');
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'no details';
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

/** The system error code (ECONNREFUSED, ENOTFOUND…) somewhere in an error's cause chain. */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A base URL without user name, password or query, for messages and files. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(invalid base URL)';
  }
}
