/**
 * Field builders shared by the resource and assertion schemas. Each returns a zod schema
 * whose error messages say what was expected and what was given.
 */
import { z } from 'zod';
import { describeValue, type FieldIssue } from './errors.js';

type IssueInput = { input?: unknown };
const got = (issue: IssueInput): string => `got ${describeValue(issue.input)}`;

/** What a string field lets through that the others refuse. */
const textRules = z.registry<{ allowsNul: true }>();

/**
 * Marks free text that never becomes a file name, a path or a shell word (a file's content, a
 * description): it may hold NUL. Every other string in every field of every concept refuses NUL
 * (validateSpec applies `textProblems` to all of them). Mark the finished string schema, after
 * its checks (`.min()`, `.regex()` make new schemas) and before `.optional()` or `.default()`.
 */
export function allowingNul<T extends z.ZodType>(schema: T): T {
  textRules.add(schema, { allowsNul: true });
  return schema;
}

/** True when the field schema `field` (through .optional(), .default() and the like) allows NUL. */
export function fieldAllowsNul(field: z.core.$ZodType | undefined): boolean {
  for (let current = field, depth = 0; current !== undefined && depth < 16; depth++) {
    if (textRules.get(current)?.allowsNul) return true;
    current = (current._zod.def as { innerType?: z.core.$ZodType }).innerType;
  }
  return false;
}

/** A non-empty string. */
export function text(what: string): z.ZodString {
  return z.string({ error: (issue) => `expected ${what} (a string), ${got(issue)}` }).min(1, {
    error: `expected ${what}, got an empty string`,
  });
}

/** Free text shown to people (and to the AI). */
export function description(subject: string): z.ZodOptional<z.ZodString> {
  return allowingNul(z.string()).optional().describe(`What this ${subject} is for, in plain words.`);
}

/** The most bytes one name in a path may have (NAME_MAX of Linux, macOS and the BSDs). */
export const NAME_MAX_BYTES = 255;
/** The most bytes a whole path may have (PATH_MAX, 4096, less its terminating NUL). */
export const PATH_MAX_BYTES = 4095;

const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/** Why `value` cannot be one file name, or undefined when it can (NUL: see `textProblem`). */
export function fileNameProblem(value: string): string | undefined {
  if (value === '.' || value === '..') {
    const names = value === '.' ? 'the folder itself' : 'the parent folder';
    return `expected a file name, got "${value}", which names ${names}, not a file (give the file's own name)`;
  }
  if (value.includes('/')) return `expected a file name without "/", got ${describeValue(value)} (use directory or path for folders)`;
  const bytes = utf8Bytes(value);
  if (bytes > NAME_MAX_BYTES) {
    return `expected a file name of at most ${NAME_MAX_BYTES} bytes (the file system's limit for one name), got ${describeValue(value)} (${bytes} bytes in UTF-8)`;
  }
  return undefined;
}

/** Why `value` cannot be a path on a host, or undefined when it can (NUL: see `textProblem`). */
export function pathProblem(value: string): string | undefined {
  const bytes = utf8Bytes(value);
  if (bytes > PATH_MAX_BYTES) {
    return `expected a path of at most ${PATH_MAX_BYTES} bytes (the file system's limit), got ${describeValue(value)} (${bytes} bytes in UTF-8)`;
  }
  const part = value.split('/').find((name) => utf8Bytes(name) > NAME_MAX_BYTES);
  if (part !== undefined) {
    return `expected a path whose every name is at most ${NAME_MAX_BYTES} bytes (the file system's limit), got ${describeValue(value)}: the name ${describeValue(part)} has ${utf8Bytes(part)} bytes in UTF-8`;
  }
  return undefined;
}

/** One file name (no "/", not "." or "..", at most 255 bytes). */
export function fileName(): z.ZodString {
  return text('a file name').superRefine((value, context) => {
    const problem = fileNameProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
  });
}

/** A path on the host (every name in it at most 255 bytes). */
export function hostPath(what: string): z.ZodString {
  return text(what).superRefine((value, context) => {
    const problem = pathProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
  });
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

/** An HTTP status code (100-599), 200 unless given. */
export function httpStatus(): z.ZodDefault<z.ZodNumber> {
  return z
    .number({ error: (issue) => `expected an HTTP status code, got ${describeValue(issue.input)}` })
    .int()
    .min(100, { error: (issue) => `expected an HTTP status code from 100 to 599, got ${describeValue(issue.input)}` })
    .max(599, { error: (issue) => `expected an HTTP status code from 100 to 599, got ${describeValue(issue.input)}` })
    .default(200);
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
  description: allowingNul(z.string()).optional().describe('What this check is for; shown in results.'),
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

const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Why a string cannot be carried through Clockwork, or undefined: a lone UTF-16 surrogate (not
 * Unicode at all: it has no UTF-8 form, and PyInfra, files and shells need one), or, unless
 * `nulAllowed`, a NUL (no file name, path or shell argument can hold one).
 */
export function textProblem(value: string, nulAllowed: boolean): string | undefined {
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).padStart(4, '0');
    return `expected valid Unicode text, got ${describeValue(value)}: it holds a lone UTF-16 surrogate "\\u${code}" at character ${surrogate.index + 1}, half of a pair, which has no UTF-8 form`;
  }
  const nul = nulAllowed ? -1 : value.indexOf('\0');
  if (nul >= 0) {
    return `expected text without a NUL character ("\\u0000"), which no file name, path or shell argument can hold, got ${describeValue(value)} (NUL at character ${nul + 1})`;
  }
  return undefined;
}

/** How deep `textProblems` looks into nested arrays and objects (no schema nests deeper). */
const MAX_TEXT_DEPTH = 32;

/**
 * The `textProblem` of every string in a concept's input: values and keys, however deep in
 * arrays and plain objects, each with its dotted field path. `nulAllowedIn(field)` says whether
 * a top-level field (and what it holds) may contain NUL.
 */
export function textProblems(input: Record<string, unknown>, nulAllowedIn: (field: string) => boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: readonly string[], nulAllowed: boolean): void => {
    if (typeof value === 'string') {
      const problem = textProblem(value, nulAllowed);
      if (problem) issues.push({ path: path.join('.'), message: problem });
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value) || path.length > MAX_TEXT_DEPTH) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, String(index)], nulAllowed));
      return;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return; // not plain data (e.g. an assertion object)
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const keyPath = [...path, key];
      const keyProblem = path.length > 0 ? textProblem(key, false) : undefined; // unknown top-level keys are refused anyway
      if (keyProblem) issues.push({ path: keyPath.join('.'), message: keyProblem.replace(/^expected /, 'expected a key of ') });
      visit(item, keyPath, path.length === 0 ? nulAllowedIn(key) : nulAllowed);
    }
  };
  visit(input, [], false);
  return issues;
}

/**
 * Characters PyInfra may paste into a shell command unquoted without harm (the set
 * `shellQuote` leaves as it is). Some PyInfra operations paste a value into a shell command
 * and also compare it with what they read from the host, so it cannot be quoted: such
 * values are restricted to these characters.
 */
export const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A user or group name: letters, digits, `_`, `.`, `-`, not starting with `-` or `.`, at most 32. */
export function accountName(what: 'user' | 'group'): z.ZodString {
  return z
    .string({ error: (issue) => `expected a ${what} name (a string), ${got(issue)}` })
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, {
      error: (issue) => `expected a ${what} name (letters, digits, "_", "." or "-", at most 32, starting with a letter or "_"), ${got(issue)}`,
    });
}

/** An absolute path PyInfra can paste into a shell command unquoted (see SHELL_SAFE). */
export function plainAbsolutePath(what: string): z.ZodString {
  return z
    .string({ error: (issue) => `expected ${what} (an absolute path), ${got(issue)}` })
    .regex(/^\/[A-Za-z0-9_@%+=:,./-]*$/, {
      error: (issue) => `expected ${what}: an absolute path of letters, digits and _@%+=:,./- only (PyInfra pastes it into a shell command), ${got(issue)}`,
    });
}

/** A numeric user or group id, 1–4294967294 (0 is root's). */
export function accountId(what: 'user' | 'group'): z.ZodNumber {
  const message = (issue: IssueInput): string => `expected a ${what} id (a whole number from 1 to 4294967294), ${got(issue)}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(1, { error: message })
    .max(4294967294, { error: message });
}
