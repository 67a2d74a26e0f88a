/**
 * The one way a value reaches generated Python: `pythonLiteral` turns a JSON value into a
 * Python literal that `ast.literal_eval` reads back as the same value. No other code builds
 * Python from user data.
 */

/** A value `pythonLiteral` accepts. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value that has no Python literal (NaN, Infinity, a function, a NUL-free check failed…). */
export class PythonLiteralError extends Error {
  override name = 'PythonLiteralError';
}

// Printable characters are kept as they are (readable programs); everything else is escaped:
// controls, separators other than the plain space, format characters (bidi overrides), lone
// surrogates and unassigned code points.
const SAFE_CHARACTER = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
const PLAIN_STRING = /^(?:(?!['\\])[\p{L}\p{M}\p{N}\p{P}\p{S} ])*$/u;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCodePoint(codePoint: number): string {
  if (codePoint <= 0xff) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if (codePoint <= 0xffff) return `\\u${codePoint.toString(16).padStart(4, '0')}`;
  return `\\U${codePoint.toString(16).padStart(8, '0')}`;
}

/** A single-quoted Python str literal for `value` (any JS string, lone surrogates included). */
export function pythonString(value: string): string {
  // Fast path: nothing to escape (lone surrogates match none of the safe classes).
  if (PLAIN_STRING.test(value)) return `'${value}'`;
  let out = "'";
  // Iterating by code point keeps surrogate pairs together and yields lone surrogates alone.
  for (const character of value) {
    const simple = SIMPLE_ESCAPES[character];
    if (simple) out += simple;
    else if (SAFE_CHARACTER.test(character) && !isLoneSurrogate(character)) out += character;
    else out += escapeCodePoint(character.codePointAt(0) ?? 0);
  }
  return `${out}'`;
}

function isLoneSurrogate(character: string): boolean {
  const code = character.charCodeAt(0);
  return character.length === 1 && code >= 0xd800 && code <= 0xdfff;
}

/**
 * A Python literal for a JSON value. Long multi-line strings are split into one piece per
 * line inside parentheses (implicit concatenation), so generated programs stay readable.
 */
export function pythonLiteral(value: JsonValue, indent = ''): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PythonLiteralError(`${value} has no Python literal`);
    return Object.is(value, -0) ? '-0.0' : String(value);
  }
  if (typeof value === 'string') return multilineString(value, indent);
  if (Array.isArray(value)) {
    return `[${value.map((item) => pythonLiteral(item, indent)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${pythonString(key)}: ${pythonLiteral(item, indent)}`);
    return `{${entries.join(', ')}}`;
  }
  throw new PythonLiteralError(`a ${typeof value} has no Python literal`);
}

function multilineString(value: string, indent: string): string {
  const lines = value.split(/(?<=\n)/);
  if (lines.length < 3 && value.length <= 100) return pythonString(value);
  const inner = `${indent}    `;
  return `(\n${lines.map((line) => `${inner}${pythonString(line)}`).join('\n')}\n${indent})`;
}
