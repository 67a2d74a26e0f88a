import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value (the API key). It prints as "[redacted]" through every path a value can
 * reach a log: string conversion, JSON, util.inspect and console.log.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value: pass it only to the code that needs it (the HTTP client). */
  reveal(): string {
    return this.#value;
  }

  /** Replaces every occurrence of the secret in `text`. */
  redact(text: string): string {
    return this.#value.length >= 4 ? text.split(this.#value).join(REDACTED) : text;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
