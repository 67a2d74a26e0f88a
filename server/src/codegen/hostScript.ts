/**
 * The script that runs every check of one host at once: one POSIX `sh` process (dash, bash,
 * BusyBox ash) that runs the checks side by side, watches their deadlines, and prints one
 * result record per check as each one finishes (see checks.ts for the record). PyInfra hands
 * it to `sh -s` on the host's stdin, in a single operation; the `sh` fallback on this machine
 * runs the same script the same way.
 *
 * How a check runs: it assigns its values, then repeats its attempt (every 0.5 s, the last one
 * ending at the deadline) until it passes or errors or its timeout runs out; the last outcome
 * counts. Where it runs depends on the check:
 * - A check that waits (`waits` in model/check.ts: the network, a daemon, a user's command)
 *   starts at once as a background job of its own.
 * - Quick checks (files, /proc, the user database: most of a server's checks) cost the host no
 *   process each: a worker subshell runs their first attempts one after another. Starting a
 *   process is most of what such a check costs, and 40 of them at once on each of 20 hosts
 *   sharing a small machine's cores made every check late. One that fails with time left goes
 *   on retrying in a job of its own; one still on its first attempt after `HANDOFF_MS` (a slow
 *   disk, a stuck NFS mount) is left to its worker while another worker takes the checks after
 *   it, so no check waits behind a slow one for long. Workers claim a check by creating a file
 *   with noclobber (`set -C`), so two workers never run the same check.
 * Jobs and workers write each record to a file of their own in a temporary folder, then say so
 * on a FIFO the main shell reads; a ticker on the same FIFO wakes it four times a second for the
 * deadlines and hand-offs. The main shell alone writes stdout, so a record is never torn, and it
 * reports each check the moment it ends. A check still running `STOP_GRACE_SECONDS` after its
 * timeout (an attempt that hangs) is stopped with its whole process tree (its job, or the worker
 * holding it, but not the retry jobs that worker started) and reported `failed` as `timed out`;
 * no other check waits for it. Without mktemp, mkfifo, sleep or a writable temporary folder the
 * checks run one after another instead, each still reporting. The clock is /proc/uptime read by
 * the shell, so the runner starts no process to tell the time.
 *
 * The script is one function definition followed by its call with stdin from /dev/null: a
 * shell reading the script from stdin reads all of it before anything runs, and no check can
 * read the rest of the script as its input.
 */
import { RESULT_MARKER, scriptFunctions, valueAssignments, type CheckScriptOptions } from './checks.js';
import { RUNNER } from './runner.js';

export { HANDOFF_MS, STOP_GRACE_SECONDS } from './runner.js';

/** A check in a host's script, with the id its record carries. */
export interface ScriptCheck extends CheckScriptOptions {
  id: number;
}

/** Milliseconds of a timeout in seconds (at least 1). */
const millis = (seconds: number): number => Math.max(1, Math.round(seconds * 1000));

/**
 * The script for a host's checks: every check starts at once, each reports its own record
 * (carrying its `id`) as it finishes, and none runs longer than its timeout plus
 * STOP_GRACE_SECONDS.
 */
export function hostScript(checks: readonly ScriptCheck[]): string {
  const attempts = new Map<string, string>();
  for (const check of checks) {
    const body = check.attempt.trim();
    if (!attempts.has(body)) attempts.set(body, `cw_a${attempts.size}`);
  }
  return [
    `# Clockwork assertion checks (POSIX sh): ${checks.length} at once, one ${RESULT_MARKER} line each.`,
    'cw_main() {',
    ...scriptFunctions(checks.flatMap((check) => check.helpers ?? [])),
    RUNNER,
    ...[...attempts].flatMap(([body, name]) => [`${name}() {`, ...unsetLine(freshVariables(body)), body, '}']),
    ...checks.flatMap((check) => [
      `cw_v${check.id}() {`,
      ...unsetLine(valuesRead(check.attempt).filter((name) => !(name in check.values)).map((name) => `v_${name}`)),
      ...valueAssignments(check.values),
      ':',
      '}',
    ]),
    'cw_begin',
    ...checks.map((check) => {
      const name = attempts.get(check.attempt.trim()) as string;
      const waits = check.waits ? ' waits' : '';
      return `cw_start ${check.id} ${millis(check.timeoutSeconds)} ${name} cw_v${check.id} ${Number(check.timeoutSeconds.toFixed(3))}${waits}`;
    }),
    'cw_finish',
    '}',
    'cw_main </dev/null',
    '',
  ].join('\n');
}

/**
 * The `cw_…` variables an attempt body assigns (`name=`, `read … name`, `for name in`) or
 * expands (`$name`, `\${name…}`).
 */
function variablesOf(body: string): Set<string> {
  const names = new Set<string>();
  for (const [, name] of body.matchAll(/(?<![\w$])(cw_[a-z0-9_]+)=/g)) names.add(name as string);
  for (const [, list] of body.matchAll(/\bread(?:\s+-r)?((?:\s+cw_[a-z0-9_]+)+)/g)) {
    for (const name of (list as string).trim().split(/\s+/)) names.add(name);
  }
  for (const [, name] of body.matchAll(/\bfor\s+(cw_[a-z0-9_]+)\s+in\b/g)) names.add(name as string);
  for (const [, name] of body.matchAll(/\$\{?#?(cw_[a-z0-9_]+)/g)) names.add(name as string);
  return names;
}

let runnerNames: Set<string> | undefined;

/**
 * The variables an attempt must start without: those it uses that the runner does not set
 * (the runner's are its outcome, deadline and clock). A worker runs quick checks one after
 * another in one shell, so each attempt first unsets them and starts as it would in a shell of
 * its own, whatever the check before it left.
 */
export function freshVariables(body: string): string[] {
  runnerNames ??= variablesOf([...scriptFunctions([]), RUNNER].join('\n'));
  const own = runnerNames;
  return [...variablesOf(body)].filter((name) => !own.has(name)).sort();
}

/** The `v_…` values a body expands (without the `v_`). */
function valuesRead(body: string): string[] {
  return [...new Set([...body.matchAll(/\$\{?v_([a-z0-9_]+)/g)].map(([, name]) => name as string))].sort();
}

/** `unset -v NAME…`, or nothing when there is nothing to unset. */
function unsetLine(names: readonly string[]): string[] {
  return names.length === 0 ? [] : [`unset -v ${names.join(' ')}`];
}

/** The script for one check alone (its record carries id 0). */
export function checkScript(check: CheckScriptOptions): string {
  return hostScript([{ ...check, id: 0 }]);
}
