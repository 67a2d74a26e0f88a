/**
 * Maps positions in the bundled clockwork.ts back to the user's source, through the
 * bundle's inline source map and Node's own SourceMap class.
 */
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import type { Locator, SourceLocation } from '../../model/location.js';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** Positions in one bundle, mapped to the files it was built from. */
export class BundlePositions {
  readonly #map: SourceMap | undefined;

  /** `code` is the bundle (with its inline source map); `filename` the name it runs under. */
  constructor(
    code: string,
    readonly filename: string,
  ) {
    const match = INLINE_MAP.exec(code.slice(-Math.min(code.length, 4 * 1024 * 1024)));
    this.#map = match?.[1] ? new SourceMap(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'))) : undefined;
  }

  /** The original position of a 1-based line and column in the bundle. */
  original(line: number, column: number): SourceLocation {
    const entry = this.#map?.findEntry(line - 1, column - 1) as
      | { originalSource?: string; originalLine?: number; originalColumn?: number }
      | undefined;
    if (!entry || entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) {
      return { file: this.filename, line, column };
    }
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : entry.originalSource;
    return { file: path.resolve(path.dirname(this.filename), source), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }

  /** A locator: the innermost call site inside the bundle, mapped to the user's source. */
  locator(): Locator {
    return () => {
      const savedPrepare = Error.prepareStackTrace;
      const savedLimit = Error.stackTraceLimit;
      const holder: { stack?: NodeJS.CallSite[] } = {};
      try {
        Error.prepareStackTrace = (_error, sites) => sites;
        Error.stackTraceLimit = 30;
        Error.captureStackTrace(holder);
        const site = holder.stack?.find((candidate) => candidate.getFileName() === this.filename);
        const line = site?.getLineNumber();
        const column = site?.getColumnNumber();
        return line && column ? this.original(line, column) : undefined;
      } finally {
        Error.prepareStackTrace = savedPrepare;
        Error.stackTraceLimit = savedLimit;
      }
    };
  }
}
