/** Errors of AI generation. Every message names the resource and the endpoint; none holds the key. */
import { ClockworkError } from '../../model/errors.js';
import { formatLocation, type SourceLocation } from '../../model/location.js';

/** A resource that needs the AI, as named in messages. */
export interface ResourceNeedingAi {
  kind: string;
  name: string;
  fields: string[];
  location: SourceLocation | undefined;
}

/** The AI must fill something in but no API key is configured (exit 2: configuration). */
export class AiKeyMissingError extends ClockworkError {
  override name = 'AiKeyMissingError';
  readonly exitCode = 2;

  constructor(
    readonly resources: readonly ResourceNeedingAi[],
    relativeTo: string,
  ) {
    const lines = resources.map((resource) => {
      const where = resource.location ? ` (${formatLocation(resource.location, relativeTo)})` : '';
      return `  ${resource.kind} ${JSON.stringify(resource.name)}${where}: ${resource.fields.join(', ')}`;
    });
    const kinds = [...new Set(resources.map((resource) => `${resource.fields.join('/')} of a ${resource.kind}`))];
    super(
      [
        `The AI must fill in ${resources.length} resource(s), but no API key is set:`,
        ...lines,
        'Set OPENROUTER_API_KEY in the environment or in a .env file beside clockwork.ts, or pass --api-key KEY',
        '(a local server that needs no key, such as Ollama or LM Studio, accepts any value, e.g. OPENROUTER_API_KEY=local);',
        `or give the value(s) yourself in clockwork.ts (the ${kinds.join(', the ')}).`,
      ].join('\n'),
    );
  }
}

/** One resource's generation failed. The message already names resource and endpoint. */
export class AiRequestError extends ClockworkError {
  override name = 'AiRequestError';
  readonly exitCode = 1;
}

/** Generation failed for one or more resources: nothing may be deployed (exit 1). */
export class AiGenerationFailedError extends ClockworkError {
  override name = 'AiGenerationFailedError';
  readonly exitCode = 1;

  constructor(readonly failures: readonly { kind: string; name: string; error: string }[]) {
    super(
      [
        `AI generation failed for ${failures.length} resource(s); nothing was deployed:`,
        ...failures.map((failure) => `  ${failure.error}`),
      ].join('\n'),
    );
  }
}

/** Generation was cancelled (Ctrl-C or the editor's cancel); nothing half-generated was stored. */
export class AiCancelledError extends ClockworkError {
  override name = 'AiCancelledError';
  readonly exitCode = 1;

  constructor() {
    super('AI generation was cancelled; nothing half-generated was stored');
  }
}
