/**
 * Starting PyInfra early: on the programs of the last run, before clockwork.ts is loaded and
 * compiled again, paused before any operation (see startPyinfraPaused). It starts only on a
 * program this Clockwork writes (nothing before its wait can act) beside this Clockwork's
 * results module (which holds the wait); the caller says "go" when compiling wrote the same
 * files again, or stops it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_MODULE, RESULTS_MODULE_NAME } from '../../codegen/pyinfra.js';
import { waitsBeforeAnything } from '../../codegen/waits.js';
import { startPyinfraPaused, type PausedPyinfra, type RunPyinfraOptions } from './run.js';

/** PyInfra started paused on `options.program` in `options.cwd`, or undefined when it must not. */
export function startEarly(options: RunPyinfraOptions): PausedPyinfra | undefined {
  const read = (name: string): string | undefined => {
    try {
      return fs.readFileSync(path.join(options.cwd, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const program = read(options.program);
  if (read(`${RESULTS_MODULE_NAME}.py`) !== RESULTS_MODULE || program === undefined || !waitsBeforeAnything(program)) return undefined;
  return startPyinfraPaused(options);
}
