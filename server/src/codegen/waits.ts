/**
 * Whether a program on disk is one writeProgram writes, up to its call of record_when_asked():
 * a PyInfra started on it with WAIT_FOR_GO_ENV set then waits before it can do anything at all
 * (see RESULTS_MODULE's "Why a wait"), so it may be started before the program is compiled again.
 */
import { RESULTS_MODULE_NAME } from './pyinfra.js';

/** The only lines a generated program has before it calls record_when_asked(). */
const HEADER_LINE =
  /^(#.*|from io import StringIO|from pyinfra import host|from pyinfra\.facts\.[a-z_]+ import [A-Za-z]+ as fact_[a-z_]+_[A-Za-z]+|from pyinfra\.operations import [a-z_, ]+|import clockwork_results|)$/;

/** True when nothing in `source` before its call of record_when_asked() can act. */
export function waitsBeforeAnything(source: string): boolean {
  const call = `\n${RESULTS_MODULE_NAME}.record_when_asked()\n`;
  const at = source.indexOf(call);
  return at >= 0 && source.slice(0, at).split('\n').every((line) => HEADER_LINE.test(line));
}
