/** Where something was declared in a clockwork.ts file (1-based line and column). */
export interface SourceLocation {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

const FRAME_PATTERN = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/** Every position named in a stack trace, innermost first. */
export function stackLocations(stack: string | undefined): SourceLocation[] {
  if (!stack) return [];
  const locations: SourceLocation[] = [];
  for (const rawLine of stack.split('\n').slice(1)) {
    const match = FRAME_PATTERN.exec(rawLine.trim());
    if (!match) continue;
    let file = match[1] ?? '';
    if (file.startsWith('file://')) file = decodeURIComponent(new URL(file).pathname);
    locations.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return locations;
}

/**
 * Finds the first stack frame that is not inside the clockwork module itself: the
 * place in the user's file where a resource or assertion was constructed. Relies on
 * source maps (the loader runs Node with them enabled) to report original positions.
 */
export function callerLocation(stack: string | undefined): SourceLocation | undefined {
  const [own, ...callers] = stackLocations(stack);
  // Frames from the clockwork module itself: one bundle file, or (from source) the model folder.
  const ownDir = own ? own.file.slice(0, own.file.lastIndexOf('/') + 1) : undefined;
  const ownFolder = ownDir && !own?.file.endsWith('.cjs') ? ownDir : undefined;
  return callers.find(
    (location) =>
      location.file !== own?.file &&
      !(ownFolder && location.file.startsWith(ownFolder)) &&
      location.file.includes('/') &&
      !location.file.startsWith('node:') &&
      !/[\\/]node_modules[\\/]zod[\\/]/.test(location.file),
  );
}

const LOCATOR = Symbol.for('clockwork.locator');

/** A function that finds where the current constructor was called from. */
export type Locator = () => SourceLocation | undefined;

/**
 * Lets the loader install a faster way to find call sites: it maps V8's structured call
 * sites through the bundle's source map, instead of formatting a source-mapped stack trace
 * for every construction (which dominated loading time for large files).
 */
export function installLocator(locator: Locator): void {
  (globalThis as Record<symbol, Locator | undefined>)[LOCATOR] = locator;
}

/** Where the constructor that calls this was called from, in the user's file. */
export function captureCallerLocation(): SourceLocation | undefined {
  const locator = (globalThis as Record<symbol, Locator | undefined>)[LOCATOR];
  return locator ? locator() : callerLocation(new Error().stack);
}

/** `file:line:column`, with the file shown relative to `relativeTo` when it lies inside it. */
export function formatLocation(location: SourceLocation, relativeTo?: string): string {
  let file = location.file;
  if (relativeTo) {
    const base = relativeTo.endsWith('/') ? relativeTo : `${relativeTo}/`;
    if (file.startsWith(base)) file = file.slice(base.length);
  }
  return `${file}:${location.line}:${location.column}`;
}
