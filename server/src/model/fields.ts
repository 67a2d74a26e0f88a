/**
 * Field builders shared by the resource and assertion schemas. Each returns a zod schema
 * whose error messages say what was expected and what was given.
 */
import { z } from 'zod';
import { describeValue } from './errors.js';

type IssueInput = { input?: unknown };
const got = (issue: IssueInput): string => `got ${describeValue(issue.input)}`;

/** A non-empty string. */
export function text(what: string): z.ZodString {
  return z.string({ error: (issue) => `expected ${what} (a string), ${got(issue)}` }).min(1, {
    error: `expected ${what}, got an empty string`,
  });
}

/** Free text shown to people (and to the AI). */
export function description(subject: string): z.ZodOptional<z.ZodString> {
  return z.string().optional().describe(`What this ${subject} is for, in plain words.`);
}

/** An octal permission mode such as "644" or "0644". */
export function octalMode(): z.ZodString {
  return z.string().regex(/^[0-7]?[0-7]{3}$/, {
    error: (issue) => `expected an octal mode like "644", ${got(issue)}`,
  });
}

/** A TCP/UDP port number, 1–65535. */
export function port(): z.ZodNumber {
  return z
    .number({ error: (issue) => `expected a port number from 1 to 65535, ${got(issue)}` })
    .int({ error: (issue) => `expected a whole port number, ${got(issue)}` })
    .min(1, { error: (issue) => `expected a port number from 1 to 65535, ${got(issue)}` })
    .max(65535, { error: (issue) => `expected a port number from 1 to 65535, ${got(issue)}` });
}

/** True when `value` parses as an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An absolute http:// or https:// URL. */
export function httpUrl(): z.ZodString {
  return z.string().refine(isHttpUrl, {
    error: (issue) => `expected an http:// or https:// URL, ${got(issue)}`,
  });
}

/** Constructs that JavaScript accepts but POSIX extended regular expressions (grep -E) do not. */
const NON_ERE_CONSTRUCTS: readonly [RegExp, string][] = [
  [/\\d/i, 'use [0-9] instead of \\d'],
  [/\(\?/, 'lookarounds and (?:…) groups are not supported by grep -E'],
  [/[*+?}]\?/, 'lazy quantifiers are not supported by grep -E'],
];

/**
 * Why `pattern` is not usable as an extended regular expression, or undefined when it is.
 * Checks run on the target host with `grep -E`, so the pattern must compile and avoid
 * JavaScript-only syntax.
 */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return `expected a regular expression, got ${describeValue(pattern)} (${reason})`;
  }
  for (const [construct, hint] of NON_ERE_CONSTRUCTS) {
    if (construct.test(pattern)) {
      return `expected an extended regular expression (grep -E), got ${describeValue(pattern)}: ${hint}`;
    }
  }
  return undefined;
}

/** A regular expression, matched on the target with `grep -E`. */
export function regexPattern(): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    const problem = regexProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });
}

/** A SHA-256 digest: 64 hexadecimal digits. */
export function sha256(): z.ZodString {
  return z.string().regex(/^[0-9a-fA-F]{64}$/, {
    error: (issue) => `expected a SHA-256 digest (64 hex digits), ${got(issue)}`,
  });
}

/** Docker's rule for container names. */
export const CONTAINER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A Docker container name. */
export function containerName(): z.ZodString {
  return z.string().regex(CONTAINER_NAME_PATTERN, {
    error: (issue) =>
      `expected a Docker container name (letters, digits, "_", "." or "-", at least 2, starting with a letter or digit), ${got(issue)}`,
  });
}

/** A whole number ≥ `min`. */
export function wholeNumber(min: number, unit: string): z.ZodNumber {
  return z
    .number({ error: (issue) => `expected a number of ${unit}, ${got(issue)}` })
    .int({ error: (issue) => `expected a whole number of ${unit}, ${got(issue)}` })
    .min(min, { error: (issue) => `expected at least ${min} ${unit}, ${got(issue)}` });
}

/** A number ≥ `min` (fractions allowed). */
export function positiveNumber(min: number, unit: string): z.ZodNumber {
  return z
    .number({ error: (issue) => `expected a number of ${unit}, ${got(issue)}` })
    .min(min, { error: (issue) => `expected at least ${min} ${unit}, ${got(issue)}` });
}

/** A percentage, 0–100. */
export function percent(): z.ZodNumber {
  return z
    .number({ error: (issue) => `expected a percentage, ${got(issue)}` })
    .min(0, { error: (issue) => `expected a percentage from 0 to 100, ${got(issue)}` })
    .max(100, { error: (issue) => `expected a percentage from 0 to 100, ${got(issue)}` });
}

/** Fields every assertion has. */
export const assertionCommonFields = {
  description: z.string().optional().describe('What this check is for; shown in results.'),
  timeoutSeconds: z
    .number({ error: (issue) => `expected a number of seconds, ${got(issue)}` })
    .positive({ error: (issue) => `expected a positive number of seconds, ${got(issue)}` })
    .max(3600, { error: (issue) => `expected at most 3600 seconds, ${got(issue)}` })
    .default(5)
    .describe('How long the check keeps retrying until it passes, in seconds.'),
};

/** `containerName`, optional: which container a container check looks at. */
export function optionalContainerName(defaultText: string): z.ZodOptional<z.ZodString> {
  return containerName().optional().describe(`The container to check. ${defaultText}`);
}

type RefineContext = { addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void };

/** A refinement: at least one of `keys` must be given. */
export function requireOneOf(...keys: string[]) {
  return (spec: Record<string, unknown>, context: RefineContext): void => {
    if (keys.every((key) => spec[key] === undefined)) {
      context.addIssue({ code: 'custom', message: `give at least one of ${keys.join(', ')}` });
    }
  };
}

/** A refinement: the lower bound `minKey` must not exceed the upper bound `maxKey`. */
export function orderedBounds(minKey: string, maxKey: string) {
  return (spec: Record<string, unknown>, context: RefineContext): void => {
    const min = spec[minKey];
    const max = spec[maxKey];
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      context.addIssue({
        code: 'custom',
        path: [minKey],
        message: `${minKey} (${min}) must not be greater than ${maxKey} (${max})`,
      });
    }
  };
}
