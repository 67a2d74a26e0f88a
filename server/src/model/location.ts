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
  return callers.find(
    (location) =>
      location.file !== own?.file &&
      location.file.includes('/') &&
      !location.file.startsWith('node:') &&
      !/[\\/]node_modules[\\/]zod[\\/]/.test(location.file),
  );
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
