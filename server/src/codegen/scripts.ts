/**
 * Operation scripts: the sh that `server.shell` runs for a resource (e.g. removing a folder
 * only when it is empty) and the conditions of PyInfra's `_if`, from `ShellScript` data.
 * As in assertion checks, every value is assigned with `shellQuote` before the script.
 *
 * A script says that it deliberately left something in place by printing a line
 * `CLOCKWORK_KEPT<TAB>reason` (the `cw_kept` function); the result carries the reason.
 */
import type { ShellScript } from '../model/operations.js';
import { assignment } from './checks.js';

/** The marker of a "kept" line in an operation's output. */
export const KEPT_MARKER = 'CLOCKWORK_KEPT';

const PRELUDE = `cw_kept() { printf '%s\\t%s\\n' ${KEPT_MARKER} "$(printf '%s' "$*" | tr '\\t\\r\\n' '   ')"; }`;

/** The complete sh text of a script: its values, the prelude, the script. */
export function shellScriptText(script: ShellScript): string {
  return [
    ...Object.entries(script.values).map(([name, value]) => assignment(name, value)),
    PRELUDE,
    script.script.trim(),
    '',
  ].join('\n');
}

/** The reasons an operation's output gives for what it kept (one per kept line). */
export function keptReasons(stdout: string | undefined): string[] {
  return (stdout ?? '')
    .split(/\r?\n/)
    .filter((line) => line.startsWith(`${KEPT_MARKER}\t`))
    .map((line) => line.slice(KEPT_MARKER.length + 1).trim())
    .filter((reason) => reason !== '');
}
