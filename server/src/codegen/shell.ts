/**
 * The one way a value reaches a shell command: `shellQuote` makes one POSIX `sh` word of
 * any string, so it is always taken literally, never executed.
 */

/** A string that cannot be passed to a shell (it contains NUL). */
export class ShellQuoteError extends Error {
  override name = 'ShellQuoteError';
}

/** One single-quoted `sh` word holding exactly `value`. */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new ShellQuoteError('a shell argument cannot contain a NUL character');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line of quoted words. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
