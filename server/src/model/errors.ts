import type { z } from 'zod';
import { formatLocation, type SourceLocation } from './location.js';

/** One problem with one field of a declaration. */
export interface FieldIssue {
  /** Dotted field path, e.g. `ports.1` or `envVars.PORT`; empty for the object itself. */
  path: string;
  /** What is wrong, phrased as "expected …, got …" where possible. */
  message: string;
}

/** Base class of every error Clockwork reports to a user. */
export class ClockworkError extends Error {
  override name = 'ClockworkError';
}

/**
 * A resource or assertion whose fields do not satisfy its schema. The message has the
 * form `clockwork.ts:12:5 FileResource "notes.md": mode: expected …`, one line per issue.
 */
export class ClockworkValidationError extends ClockworkError {
  override name = 'ClockworkValidationError';

  constructor(
    readonly kind: string,
    readonly label: string | undefined,
    readonly issues: readonly FieldIssue[],
    readonly location: SourceLocation | undefined,
  ) {
    super(renderIssues(kind, label, issues, location));
  }

  /** The same message with the file shown relative to `dir`. */
  messageRelativeTo(dir: string): string {
    return renderIssues(this.kind, this.label, this.issues, this.location, dir);
  }
}

function renderIssues(
  kind: string,
  label: string | undefined,
  issues: readonly FieldIssue[],
  location: SourceLocation | undefined,
  relativeTo?: string,
): string {
  const where = location ? `${formatLocation(location, relativeTo)} ` : '';
  const subject = label === undefined ? kind : `${kind} ${JSON.stringify(label)}`;
  return issues
    .map((issue) => `${where}${subject}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`)
    .join('\n');
}

/** A short, readable rendering of a value a user wrote, for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    if (value.length <= 60) return JSON.stringify(value);
    // Never cut a surrogate pair in two (that half would read as a lone surrogate).
    const cut = /[\ud800-\udbff]/.test(value.charAt(56)) && /[\udc00-\udfff]/.test(value.charAt(57)) ? 56 : 57;
    return JSON.stringify(`${value.slice(0, cut)}...`);
  }
  if (typeof value === 'object') {
    const brand = (value as { kind?: unknown }).kind;
    return typeof brand === 'string' ? `a ${brand}` : 'an object';
  }
  return String(value);
}

/** Turns zod's issues into field issues with Clockwork's wording. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: 'unknown property',
      }));
    }
    return [{ path, message: issueMessage(issue) }];
  });
}

/** zod's own wording starts like this; messages from the field builders are used as they are. */
const ZOD_DEFAULT_MESSAGE = /^Invalid (input|option)/;

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message) && input !== undefined) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `is required (expected ${article(issue.expected)})`;
      return `expected ${article(issue.expected)}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(input)}`;
    default:
      // Custom messages from the field builders already say what was expected.
      return issue.message;
  }
}

function article(type: string): string {
  if (type === 'array' || type === 'object' || type === 'integer') return `an ${type}`;
  return `a ${type}`;
}
