/**
 * How deeply a text nests its brackets, read without parsing it. A file nested hundreds of
 * levels deep overflows the stack of a recursive reader (TypeScript's parser, or ours) at a
 * depth that depends on how far V8 has optimised the code at that moment, so the same text
 * could be read once and refused the next time. Refusing above a fixed depth, before any
 * parse, makes the answer depend on the text alone: the same after an incremental edit as
 * after a fresh open. Real clockwork.ts files nest a few dozen levels at most.
 */

/** The deepest nesting a clockwork document may have. */
export const MAX_NESTING = 250;

const OPEN_PAREN = 40; // (
const CLOSE_PAREN = 41; // )
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const NEWLINE = 10;
const DOLLAR = 36;
const BACKTICK = 96;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;

/**
 * The deepest nesting of (), [], {} and template `${}` in `text`, skipping strings and
 * comments (regular expressions are read as code: close enough for a limit this far above
 * what real files use). Stops counting once past `limit`.
 */
export function nestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  // What each open brace or `${` was, so a `}` knows whether it ends a template's expression.
  const braces: boolean[] = [];
  let depth = 0;
  let deepest = 0;
  let i = 0;
  const length = text.length;
  const open = (): void => {
    depth += 1;
    if (depth > deepest) deepest = depth;
  };
  /** Skips a template's text from `i` (after a backtick or a `}`) to its end or its next `${`. */
  const templateText = (): void => {
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === BACKSLASH) i += 2;
      else if (code === BACKTICK) {
        i += 1;
        return;
      } else if (code === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
        i += 2;
        braces.push(true);
        open();
        return;
      } else i += 1;
    }
  };
  while (i < length && deepest <= limit) {
    const code = text.charCodeAt(i);
    if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      i += 1;
      while (i < length) {
        const inner = text.charCodeAt(i);
        if (inner === BACKSLASH) i += 2;
        else if (inner === code || inner === NEWLINE) {
          i += 1;
          break;
        } else i += 1;
      }
    } else if (code === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end + 1;
    } else if (code === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? length : end + 2;
    } else if (code === BACKTICK) {
      i += 1;
      templateText();
    } else if (code === OPEN_PAREN || code === OPEN_BRACKET) {
      open();
      i += 1;
    } else if (code === OPEN_BRACE) {
      braces.push(false);
      open();
      i += 1;
    } else if (code === CLOSE_PAREN || code === CLOSE_BRACKET) {
      if (depth > 0) depth -= 1;
      i += 1;
    } else if (code === CLOSE_BRACE) {
      if (depth > 0) depth -= 1;
      i += 1;
      if (braces.pop() === true) templateText();
    } else {
      i += 1;
    }
  }
  return deepest;
}

/** The message for a document nested deeper than `MAX_NESTING`, or undefined. */
export function tooDeep(text: string): string | undefined {
  const depth = nestingDepth(text, MAX_NESTING);
  return depth > MAX_NESTING ? `Clockwork cannot read this file: it nests too deeply (more than ${MAX_NESTING} levels of brackets).` : undefined;
}
