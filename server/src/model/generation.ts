/**
 * How a resource kind asks the AI to fill in the fields a user left open. This is data
 * (prompts, the expected kind of answer, a zod schema) plus a merge function: the model
 * layer never talks to an endpoint. The pipeline (`server/src/pipeline/ai/`) sends the
 * request through the openai SDK and hands the answer back to `merge`.
 */
import type { z } from 'zod';

/** Common parts of every generation request. */
interface RequestBase {
  /** The system message: who the AI is and the rules of the answer. */
  system: string;
  /** The user message: what to write, from the resource's own fields. */
  prompt: string;
  /** Upper bound for the answer's tokens (`max_tokens`). */
  maxTokens: number;
}

/** Ask for free text that becomes one field (e.g. a file's content). */
export interface TextRequest extends RequestBase {
  output: 'text';
  /** The field the text fills in. */
  field: string;
  /** A format the text must parse as; a failure is sent back to the AI once. */
  mustParseAs?: 'json' | 'yaml';
  /** What is wrong with an answer (undefined when nothing is); sent back to the AI once, like a parse failure. */
  check?: (text: string) => string | undefined;
  /** A label for the format, for messages and the repair prompt (e.g. "YAML"). */
  formatLabel: string;
}

/** Ask for a JSON object matching `schema` (structured output). */
export interface StructuredRequest extends RequestBase {
  output: 'structured';
  /** A name for the answer's JSON schema (letters, digits, `_`, `-`). */
  schemaName: string;
  /** The answer's schema; its JSON schema goes to the endpoint, and answers are validated by it. */
  schema: z.ZodObject;
}

/** What the AI is asked for one resource. */
export type GenerationRequest = TextRequest | StructuredRequest;

/** How a resource kind has its open fields generated: a member of its definition. */
export interface ResourceGeneration<Spec> {
  /** Raise when the request or merge changes meaning, so cached answers are regenerated. */
  promptVersion: number;
  /** The request for a spec whose open fields are not empty. */
  request(spec: Spec): GenerationRequest;
  /**
   * The spec completed with the AI's answer (`{[field]: text}` for a text request, the
   * validated object for a structured one). A value the user gave always wins.
   */
  merge(spec: Spec, answer: Record<string, unknown>): Spec;
}

