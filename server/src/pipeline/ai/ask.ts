/**
 * Runs one resource's generation request against an endpoint: free text (with the
 * surrounding code fence stripped, parsed when the format must parse, one repair round)
 * or structured output (json_schema → JSON mode → plain text, validated by the zod
 * schema, one repair round).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { GenerationRequest, StructuredRequest, TextRequest } from '../../model/generation.js';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ResponseFormatRejected, type AiEndpoint, type ChatAnswer, type StructuredMode, type TokenUsage } from './client.js';
import { AiRequestError } from './errors.js';

/** What one resource's generation produced. */
export interface AskResult {
  /** The answer: `{[field]: text}` for text, the validated object for structured output. */
  answer: Record<string, unknown>;
  usage: TokenUsage;
  /** Requests sent for this resource (a repair round or a fallback adds one). */
  requests: number;
  /** How the answer was asked for: `text`, or the structured mode that worked. */
  mode: StructuredMode;
}

/** Shared by the resources of one run. */
export interface AskContext {
  endpoint: AiEndpoint;
  /** The structured mode that worked (or is next to try) for this endpoint, remembered for the run. */
  structuredMode: { current: StructuredMode };
  signal: AbortSignal;
  /** A note for the user, e.g. that the endpoint rejected json_schema. */
  onNote?: (message: string) => void;
}

/** Asks the AI for what `request` describes; `subject` names the resource in messages. */
export async function ask(request: GenerationRequest, subject: string, context: AskContext): Promise<AskResult> {
  return request.output === 'text' ? askText(request, subject, context) : askStructured(request, subject, context);
}

class Tally {
  usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  requests = 0;

  add(answer: ChatAnswer): ChatAnswer {
    this.requests += 1;
    this.usage = {
      promptTokens: this.usage.promptTokens + answer.usage.promptTokens,
      completionTokens: this.usage.completionTokens + answer.usage.completionTokens,
      totalTokens: this.usage.totalTokens + answer.usage.totalTokens,
    };
    return answer;
  }
}

async function askText(request: TextRequest, subject: string, context: AskContext): Promise<AskResult> {
  const tally = new Tally();
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: request.system },
    { role: 'user', content: request.prompt },
  ];
  const send = async (): Promise<string> => {
    const answer = tally.add(await context.endpoint.chat({ messages, maxTokens: request.maxTokens, signal: context.signal, subject }));
    const text = cleanAnswer(answer.text);
    if (text.trim() === '') throw emptyAnswer(answer, request.maxTokens, subject, context.endpoint);
    return text;
  };
  let text = await send();
  const problemOf = (answer: string): string | undefined =>
    (request.mustParseAs ? parseProblem(answer, request.mustParseAs) : undefined) ?? request.check?.(answer);
  if (request.mustParseAs || request.check) {
    let problem = problemOf(text);
    if (problem) {
      messages.push(
        { role: 'assistant', content: text },
        {
          role: 'user',
          content: `That is not valid ${request.formatLabel}: ${problem}. Answer again with the corrected file content only, no code fence.`,
        },
      );
      text = await send();
      problem = problemOf(text);
      if (problem) {
        throw new AiRequestError(
          context.endpoint.redact(
            `${subject}: ${context.endpoint.where()} answered with text that is not valid ${request.formatLabel}, even after being asked to correct it: ${problem} (the answer began ${JSON.stringify(text.slice(0, 80))})`,
          ),
        );
      }
    }
  }
  return { answer: { [request.field]: text }, usage: tally.usage, requests: tally.requests, mode: 'text' };
}

const NEXT_MODE: Record<StructuredMode, StructuredMode | undefined> = { json_schema: 'json_object', json_object: 'text', text: undefined };

async function askStructured(request: StructuredRequest, subject: string, context: AskContext): Promise<AskResult> {
  const tally = new Tally();
  const jsonSchema = z.toJSONSchema(request.schema) as Record<string, unknown>;
  delete jsonSchema['$schema'];
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: request.system },
    {
      role: 'user',
      content: `${request.prompt}\n\nAnswer with only a JSON object that matches this JSON schema:\n${JSON.stringify(jsonSchema)}`,
    },
  ];
  const send = async (): Promise<string> => {
    for (;;) {
      const mode = context.structuredMode.current;
      try {
        const answer = tally.add(
          await context.endpoint.chat({
            messages,
            maxTokens: request.maxTokens,
            signal: context.signal,
            subject,
            // strict: false, because the answer's schema holds records (envVars), which strict mode cannot express.
            ...(mode === 'json_schema'
              ? { responseFormat: { type: 'json_schema', json_schema: { name: request.schemaName, strict: false, schema: jsonSchema } } }
              : mode === 'json_object'
                ? { responseFormat: { type: 'json_object' } }
                : {}),
          }),
        );
        if (cleanAnswer(answer.text).trim() === '') throw emptyAnswer(answer, request.maxTokens, subject, context.endpoint);
        return answer.text;
      } catch (error) {
        const next = NEXT_MODE[mode];
        if (!(error instanceof ResponseFormatRejected) || !next) throw error;
        // Another resource may have moved on already; only ever move forward.
        if (context.structuredMode.current === mode) {
          context.structuredMode.current = next;
          context.onNote?.(
            `${context.endpoint.where()} rejected response_format ${mode} (${error.message}); using ${next === 'text' ? 'plain text' : 'JSON mode'} instead`,
          );
        }
      }
    }
  };
  let raw = await send();
  let checked = checkStructured(raw, request.schema);
  if (!checked.ok) {
    messages.push(
      { role: 'assistant', content: raw },
      { role: 'user', content: `That answer is not valid: ${checked.problem}. Answer again with only the corrected JSON object.` },
    );
    raw = await send();
    checked = checkStructured(raw, request.schema);
    if (!checked.ok) {
      throw new AiRequestError(
        context.endpoint.redact(
          `${subject}: ${context.endpoint.where()} did not answer with the JSON object asked for, even after being asked to correct it: ${checked.problem} (the answer began ${JSON.stringify(raw.slice(0, 80))})`,
        ),
      );
    }
  }
  return { answer: checked.value, usage: tally.usage, requests: tally.requests, mode: context.structuredMode.current };
}

function checkStructured(raw: string, schema: z.ZodObject): { ok: true; value: Record<string, unknown> } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(cleanAnswer(raw));
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${(error as Error).message})` };
  }
  // Keys the schema does not ask for (a chatty model's extras, or fields the user gave) are dropped.
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    value = Object.fromEntries(Object.entries(value).filter(([key]) => key in schema.shape));
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data as Record<string, unknown> };
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(the object)'}: ${issue.message}`);
  return { ok: false, problem: `it does not match the schema (${issues.slice(0, 5).join('; ')})` };
}

/** Why `text` does not parse as `format`, or undefined when it does. */
export function parseProblem(text: string, format: 'json' | 'yaml'): string | undefined {
  try {
    if (format === 'json') JSON.parse(text);
    else parseYaml(text);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

const LEADING_THINKING = /^\s*<think>[\s\S]*?<\/think>\s*/;
const FENCE_OPEN = /^\s*(```|~~~)[^\n`]*\n/;

/**
 * The answer without what models wrap around it: a leading `<think>…</think>` block (local
 * reasoning models) and a code fence around the whole answer. A fence inside is kept.
 */
export function cleanAnswer(text: string): string {
  const unthought = text.replace(LEADING_THINKING, '');
  const open = FENCE_OPEN.exec(unthought);
  if (!open) return unthought;
  const fence = open[1] as string;
  const rest = unthought.slice(open[0].length).replace(/\s+$/, '');
  if (!rest.endsWith(fence)) return unthought;
  const body = rest.slice(0, -fence.length);
  // The closing fence must be on its own line (or the body empty).
  if (body !== '' && !body.endsWith('\n')) return unthought;
  return body;
}

function emptyAnswer(answer: ChatAnswer, maxTokens: number, subject: string, endpoint: AiEndpoint): AiRequestError {
  const reason =
    answer.finishReason === 'length'
      ? ` (it used its whole budget of ${maxTokens} tokens first: a reasoning model may need a larger size, or another model)`
      : '';
  return new AiRequestError(endpoint.redact(`${subject}: ${endpoint.where()} returned an empty answer${reason}`));
}
