/**
 * The parts of assertion check scripts: the shared `sh` functions every script has, the
 * helpers a check may name (HTTP, processes, Docker stats), the assignment of a check's
 * values, and the reading of result records. `hostScript.ts` assembles them into the script
 * that runs every check of a host at once. Each assertion's file supplies its check as data
 * (values and the body of one attempt, see model/check.ts).
 *
 * Result protocol: a script prints one record per check on stdout, a line that starts with
 * `CLOCKWORK_RESULT` and a tab, with six tab-separated fields after the marker:
 *
 *     CLOCKWORK_RESULT<TAB>id<TAB>status<TAB>actual<TAB>message<TAB>durationMs<TAB>startMs
 *
 * `id` is the number the check was given in the script; `durationMs` is how long it took and
 * `startMs` when it started (from the start of the script), as the host measured them.
 * `status` is `passed`, `failed` (the check ran and the assertion does not hold) or `error`
 * (the check could not run: a tool is missing, docker does not answer…). The script removes
 * tabs, carriage returns and newlines from `actual` and `message`, so a record always parses;
 * for an id, the last record counts. Nothing depends on any other output.
 *
 * Every user value enters a script as a variable assignment made with `shellQuote`, and the
 * bodies only ever expand those variables inside double quotes: a value is data, never code.
 */
import { sh, type AssertionCheck, type CheckHelper, type CheckValue } from '../model/check.js';
import { shellQuote } from './shell.js';

/** The marker that starts the result line. */
export const RESULT_MARKER = 'CLOCKWORK_RESULT';

/** A check's outcome as the script reported it. */
export interface CheckOutcome {
  status: 'passed' | 'failed' | 'error';
  actual: string;
  message: string;
  /** How long the check took, as it measured itself (undefined when not reported). */
  durationMs: number | undefined;
  /** When it started, in ms from the start of its host's script (undefined when not reported). */
  startMs: number | undefined;
}

const STATUSES = new Set(['passed', 'failed', 'error']);
const whole = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);

/** The records in a script's stdout, by check id (for an id, the last record counts). */
export function parseCheckRecords(stdout: string): Map<number, CheckOutcome> {
  const records = new Map<number, CheckOutcome>();
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.startsWith(`${RESULT_MARKER}\t`)) continue;
    const [, id, status = '', actual = '', message = '', duration, start] = line.split('\t');
    const key = whole(id);
    if (key === undefined || !STATUSES.has(status)) continue;
    records.set(key, {
      status: status as CheckOutcome['status'],
      actual: actual.trim(),
      message: message.trim(),
      durationMs: whole(duration),
      startMs: whole(start),
    });
  }
  return records;
}

/** The outcome in the last record of a script's stdout; undefined when there is none. */
export function parseCheckOutput(stdout: string): CheckOutcome | undefined {
  const lines = stdout.split(/\r?\n/).filter((line) => parseCheckRecords(line).size > 0);
  const last = lines.at(-1);
  return last === undefined ? undefined : [...parseCheckRecords(last).values()][0];
}

/** A check as a script runs it: the assertion's check and how long it keeps retrying. */
export interface CheckScriptOptions extends AssertionCheck {
  /** How long the check keeps retrying until it passes, in seconds. */
  timeoutSeconds: number;
}

/** Shared functions every script has. */
const PRELUDE = sh`cw_status=error
cw_actual=
cw_message='the check did not run'
cw_has() { command -v "$1" >/dev/null 2>&1; }
cw_pass() { cw_status=passed; cw_actual=$1; cw_message=\${2-}; }
cw_fail() { cw_status=failed; cw_actual=$1; cw_message=\${2-}; }
cw_error() { cw_status=error; cw_message=$1; cw_actual=\${2-}; }
# Milliseconds: /proc/uptime, read by the shell itself (Linux: centiseconds, no process
# started), else date +%N (GNU), else whole seconds. cw_clock says which (s = too coarse for
# ms). cw_clock_now sets cw_clock_ms without starting a process; cw_now_ms prints it.
cw_clock=s
if [ -r /proc/uptime ]; then cw_clock=uptime
else case $(date +%s%N 2>/dev/null) in ''|*[!0-9]*) ;; *) cw_clock=ns ;; esac
fi
cw_clock_now() {
  case $cw_clock in
    uptime)
      IFS=' ' read -r cw_clock_up cw_clock_rest < /proc/uptime
      cw_clock_cs=\${cw_clock_up#*.}; cw_clock_cs=\${cw_clock_cs#0}
      cw_clock_ms=$(( \${cw_clock_up%.*} * 1000 + cw_clock_cs * 10 )) ;;
    ns) cw_clock_ms=$(date +%s%N); cw_clock_ms=\${cw_clock_ms%??????} ;;
    *) cw_clock_ms=$(( $(date +%s) * 1000 )) ;;
  esac
}
cw_now_ms() { cw_clock_now; echo "$cw_clock_ms"; }
cw_remaining() {
  cw_r=$(( (cw_deadline - $(cw_now_ms)) / 1000 ))
  [ "$cw_r" -ge 1 ] || cw_r=1
  echo "$cw_r"
}
cw_lt_eq() { awk -v a="$1" -v b="$2" 'BEGIN { exit !((a + 0) <= (b + 0)) }'; }
# cw_clean TEXT: TEXT without tabs, carriage returns and newlines, at most 2000 characters.
cw_clean() { printf '%s' "$1" | tr '\t\r\n' '   ' | cut -c 1-2000; }
cw_docker_problem() {
  case $1 in
    *'No such'*|*'no such'*) cw_fail 'no such container' "container $2 does not exist" ;;
    *) cw_error "docker: $(printf '%s' "$1" | tail -n 1)" ;;
  esac
}`;

/**
 * HTTP: `cw_http_get URL SECONDS` sets cw_code, cw_ms (empty when this host cannot time in
 * milliseconds), cw_err, and cw_cut (set when the request was stopped at the deadline, so
 * cw_ms is a lower bound); returns 0 (answered), 1 (no answer), 127 (no tool).
 */
const HTTP_HELPERS = sh`cw_http_get() {
  cw_code=; cw_ms=; cw_err=; cw_cut=
  if cw_has curl; then
    cw_out=$(curl -sS -o /dev/null --max-time "$2" -w '\n%{http_code} %{time_total}' --url "$1" 2>&1)
    [ $? = 28 ] && cw_cut=1
    cw_last=$(printf '%s\n' "$cw_out" | tail -n 1)
    cw_err=$(printf '%s\n' "$cw_out" | sed '$d' | sed -n '/./p' | tail -n 1)
    cw_code=\${cw_last%% *}
    cw_ms=$(printf '%s\n' "\${cw_last#* }" | awk '{ printf "%d", $1 * 1000 + 0.5 }')
    [ "$cw_code" != 000 ] && [ -n "$cw_code" ] && return 0
    [ -n "$cw_err" ] || cw_err='no response'
    return 1
  elif cw_has wget; then
    cw_start=$(cw_now_ms)
    if cw_has timeout; then
      cw_out=$(timeout "$2" wget -S -O /dev/null -- "$1" 2>&1)
      # GNU timeout exits 124 when it stops the command; BusyBox's reports the signal (143).
      case $? in 124|143) cw_cut=1 ;; esac
    else
      cw_out=$(wget -S -O /dev/null -- "$1" 2>&1)
    fi
    cw_ms=$(( $(cw_now_ms) - cw_start ))
    [ "$cw_clock" != s ] || cw_ms=
    cw_code=$(printf '%s\n' "$cw_out" | sed -n 's/.*HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' | tail -n 1)
    [ -n "$cw_code" ] && return 0
    cw_err=$(printf '%s\n' "$cw_out" | tail -n 1)
    [ -z "$cw_cut" ] || cw_err="no answer within $2 s"
    [ -n "$cw_err" ] || cw_err='no response'
    return 1
  fi
  return 127
}`;

/** Processes: `cw_find_processes NAME` sets cw_count and cw_pids (exact name, as the kernel's comm holds it). */
const PROCESS_HELPERS = sh`cw_find_processes() {
  cw_count=0; cw_pids=
  cw_want=$(printf '%s' "$1" | cut -c 1-15)
  if [ -r /proc/self/comm ]; then
    for cw_proc in /proc/[0-9]*; do
      { IFS= read -r cw_comm < "$cw_proc/comm"; } 2>/dev/null || continue
      if [ "$cw_comm" = "$cw_want" ]; then
        cw_count=$(( cw_count + 1 )); cw_pids="$cw_pids \${cw_proc#/proc/}"
      fi
    done
  elif cw_has pgrep; then
    cw_re=$(printf '%s' "$cw_want" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
    cw_pids=$(pgrep -x -- "$cw_re" | tr '\n' ' ')
    for cw_p in $cw_pids; do cw_count=$(( cw_count + 1 )); done
  elif cw_has ps; then
    cw_pids=$(ps -A -o pid= -o comm= | awk -v n="$cw_want" '{ p = $1; sub(/^[ \t]*[0-9]+[ \t]+/, ""); if ($0 == n) printf "%s ", p }')
    for cw_p in $cw_pids; do cw_count=$(( cw_count + 1 )); done
  else
    return 127
  fi
  cw_pids=$(echo $cw_pids)
  return 0
}`;

/** Docker memory/CPU: `cw_docker_stat CONTAINER FORMAT` prints the value or sets the failure. */
const DOCKER_STATS_HELPERS = sh`cw_docker_stat() {
  if ! cw_has docker; then cw_error 'docker is not installed on this host'; return 1; fi
  cw_out=$(docker stats --no-stream --format "$2" -- "$1" 2>&1)
  if [ $? -ne 0 ]; then cw_docker_problem "$cw_out" "$1"; return 1; fi
  cw_stat=$(printf '%s\n' "$cw_out" | tail -n 1)
  return 0
}`;

/** The code of each helper a check may name. */
const HELPERS: Record<CheckHelper, string> = { http: HTTP_HELPERS, process: PROCESS_HELPERS, dockerStats: DOCKER_STATS_HELPERS };

const VALUE_NAME = /^[a-z][a-z0-9_]*$/;

/** `v_<name>=<value, shell-quoted>`: how a check's (or an operation script's) value enters sh. */
export function assignment(name: string, value: CheckValue): string {
  if (!VALUE_NAME.test(name)) throw new Error(`invalid check variable name ${name}`);
  const text = value === undefined || value === false ? '' : value === true ? '1' : String(value);
  return `v_${name}=${text === '' ? "''" : shellQuote(text)}`;
}

/**
 * The sh assignments of a check's values (`v_<name>=<quoted>`); throws ShellQuoteError for
 * a value no shell can carry (a NUL character).
 */
export function valueAssignments(values: AssertionCheck['values']): string[] {
  return Object.entries(values).map(([name, value]) => assignment(name, value));
}

/** The shared functions and the code of `helpers` (each once). */
export function scriptFunctions(helpers: Iterable<CheckHelper>): string[] {
  return [PRELUDE, ...[...new Set(helpers)].sort().map((helper) => HELPERS[helper])];
}
