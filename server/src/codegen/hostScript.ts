/**
 * The script that runs every check of one host at once: one POSIX `sh` process (dash, bash,
 * BusyBox ash) that starts each check as a background job, watches their deadlines, and
 * prints one result record per check as each one finishes (see checks.ts for the record).
 * PyInfra hands it to `sh -s` on the host's stdin, in a single operation; the `sh` fallback
 * on this machine runs the same script the same way.
 *
 * How a check runs: its job assigns its values, then repeats its attempt (every 0.5 s, the
 * last one ending at the deadline) until it passes or errors or its timeout runs out; the last
 * outcome counts. Each job writes its record to a file of its own in a temporary folder, then
 * says "done" on a FIFO the main shell reads; a ticker on the same FIFO wakes it four times a
 * second for the deadlines. The main shell alone writes stdout, so a record is never torn, and
 * it reports each check the moment it ends. A job still running `STOP_GRACE_SECONDS` after its
 * timeout (an attempt that hangs: a stuck NFS mount, a docker daemon that never answers) is
 * stopped with its whole process tree and reported `failed` as `timed out`; no other check
 * waits for it. Without mktemp, mkfifo, sleep or a writable temporary folder the checks run one
 * after another instead, each still reporting. The runner starts no process of its own per
 * check beyond the job's subshells (the clock is /proc/uptime read by the shell): with 20
 * hosts on one machine, the checks' own work is what costs.
 *
 * The script is one function definition followed by its call with stdin from /dev/null: a
 * shell reading the script from stdin reads all of it before anything runs, and no check can
 * read the rest of the script as its input.
 */
import { sh } from '../model/check.js';
import { RESULT_MARKER, scriptFunctions, valueAssignments, type CheckScriptOptions } from './checks.js';

/** How long a check may run past its timeout (its last attempt finishing) before it is stopped. */
export const STOP_GRACE_SECONDS = 2;

/** A check in a host's script, with the id its record carries. */
export interface ScriptCheck extends CheckScriptOptions {
  id: number;
}

/** Milliseconds of a timeout in seconds (at least 1). */
const millis = (seconds: number): number => Math.max(1, Math.round(seconds * 1000));

/** The job runner: the retry loop of one check, the launcher, the watchdog and the collector. */
const RUNNER = sh`cw_tab=$(printf '\t'); cw_cr=$(printf '\r'); cw_nl='
'
cw_nap() { sleep "$1" 2>/dev/null || sleep 1; }
# cw_cleaned TEXT: sets cw_text to TEXT fit for a record (a process only when it must change).
cw_cleaned() {
  case $1 in
    *"$cw_tab"*|*"$cw_cr"*|*"$cw_nl"*) cw_text=$(cw_clean "$1") ;;
    *) if [ \${#1} -le 2000 ]; then cw_text=$1; else cw_text=$(cw_clean "$1"); fi ;;
  esac
}
# cw_record ID STATUS ACTUAL MESSAGE DURATION_MS START_MS
cw_record() {
  cw_cleaned "$3"; cw_rec_actual=$cw_text
  cw_cleaned "$4"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' ${RESULT_MARKER} "$1" "$2" "$cw_rec_actual" "$cw_text" "$5" "$6"
}
# cw_job ID TIMEOUT_MS ATTEMPT VALUES: one check, retried until it passes, errors or times out.
cw_job() {
  cw_status=error; cw_actual=; cw_message='the check did not run'
  $4
  cw_timeout_ms=$2
  cw_clock_now; cw_started=$cw_clock_ms
  # Checks that run at once count their timeout from the start of the script (the last one
  # started is not given more time); one after another, each from its own start.
  if [ -n "$cw_dir" ]; then cw_deadline=$(( cw_t0 + cw_timeout_ms )); else cw_deadline=$(( cw_started + cw_timeout_ms )); fi
  while :; do
    cw_clock_now; cw_tried=$cw_clock_ms
    $3
    [ "$cw_status" = failed ] || break
    [ -z "$cw_dir" ] || printf '%s\n' "$cw_message" > "$cw_dir/$1.last"
    # Another attempt every 0.5 s while one (as long as this one, and 25 ms to start it) still
    # ends by the deadline; the last one ends at the deadline.
    cw_clock_now; cw_wait=$(( cw_deadline - cw_clock_ms - (cw_clock_ms - cw_tried) - 25 ))
    [ "$cw_wait" -gt 0 ] || break
    if [ "$cw_wait" -ge 500 ]; then cw_nap 0.5; else cw_nap "0.$(printf '%03d' "$cw_wait")"; fi
  done
  cw_clock_now
  cw_record "$1" "$cw_status" "$cw_actual" "$cw_message" "$(( cw_clock_ms - cw_started ))" "$(( cw_started - cw_t0 ))"
  case $cw_status in passed) return 0 ;; failed) return 1 ;; *) return 2 ;; esac
}
cw_tally() {
  case $1 in 0) ;; 1) cw_failed=1 ;; *) cw_errored=1 ;; esac
}
# The children of a process: pgrep, else /proc, else ps.
cw_children() {
  if cw_has pgrep; then pgrep -P "$1"; return 0; fi
  if [ -r /proc/self/stat ]; then
    for cw_f in /proc/[0-9]*/stat; do
      { IFS= read -r cw_l < "$cw_f"; } 2>/dev/null || continue
      cw_l=\${cw_l##*) }; cw_l=\${cw_l#* }
      [ "\${cw_l%% *}" != "$1" ] || { cw_f=\${cw_f#/proc/}; echo "\${cw_f%/stat}"; }
    done
    return 0
  fi
  ps -A -o pid= -o ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1 }'
}
# Stops a process and everything it started: freeze the tree top-down, then kill it.
cw_freeze() {
  kill -STOP "$1" 2>/dev/null || return 0
  cw_tree="$cw_tree $1"
  for cw_c in $(cw_children "$1"); do cw_freeze "$cw_c"; done
}
cw_stop() {
  cw_tree=
  cw_freeze "$1"
  [ -z "$cw_tree" ] || kill -KILL $cw_tree 2>/dev/null
  wait "$1" 2>/dev/null
}
cw_cleanup() {
  [ -z "$cw_ticker" ] || cw_stop "$cw_ticker"
  for cw_e in $cw_pending; do cw_p=\${cw_e#*:}; cw_stop "\${cw_p%%:*}"; done
  cw_pending=
  exec 3>&-
  rm -rf "$cw_dir"
}
# With a temporary folder and a FIFO, checks run at once; without, one after another.
cw_begin() {
  cw_clock_now; cw_t0=$cw_clock_ms; cw_pending=; cw_failed=; cw_errored=; cw_ticker=; cw_dir=
  if cw_has mktemp && cw_has mkfifo && cw_has rm && cw_has sleep; then
    cw_dir=$(mktemp -d "\${TMPDIR:-/tmp}/clockwork-checks.XXXXXX" 2>/dev/null) && [ -d "$cw_dir" ] || cw_dir=
  fi
  [ -n "$cw_dir" ] || return 0
  trap cw_cleanup EXIT
  trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
  # Events: "done ID" from each check as it ends, "tick" four times a second for the deadlines.
  if mkfifo "$cw_dir/events" && exec 3<>"$cw_dir/events"; then
    cw_main_pid=$$
    ( while kill -0 "$cw_main_pid" 2>/dev/null; do cw_nap 0.25; echo tick >&3; done ) </dev/null >/dev/null 2>&1 &
    cw_ticker=$!
  else
    rm -rf "$cw_dir"; cw_dir=
  fi
}
# cw_start ID TIMEOUT_MS ATTEMPT VALUES TIMEOUT_TEXT: starts a check (runs it, without a folder).
cw_start() {
  if [ -z "$cw_dir" ]; then
    cw_out=$( (cw_job "$1" "$2" "$3" "$4") )
    cw_tally $?
    printf '%s\n' "$cw_out"
    return 0
  fi
  ( (cw_job "$1" "$2" "$3" "$4") 3>&- > "$cw_dir/$1.r"; echo "done $1" >&3 ) </dev/null 2>"$cw_dir/$1.e" &
  cw_pending="$cw_pending $1:$!:$(( cw_t0 + $2 + ${STOP_GRACE_SECONDS * 1000} )):$5"
}
cw_report() {
  cw_rec=
  while IFS= read -r cw_line; do
    case $cw_line in "${RESULT_MARKER}$cw_tab$1$cw_tab"*) cw_rec=$cw_line ;; esac
  done < "$cw_dir/$1.r"
  if [ -z "$cw_rec" ]; then cw_report_lost "$1"; return; fi
  cw_s=\${cw_rec#*"$cw_tab"}; cw_s=\${cw_s#*"$cw_tab"}; cw_s=\${cw_s%%"$cw_tab"*}
  case $cw_s in passed) cw_tally 0 ;; failed) cw_tally 1 ;; *) cw_tally 2 ;; esac
  printf '%s\n' "$cw_rec"
}
cw_report_lost() {
  cw_tally 2
  cw_detail=$(tail -n 1 "$cw_dir/$1.e" 2>/dev/null)
  cw_clock_now
  cw_record "$1" error '' "the check ended without a result\${cw_detail:+: $cw_detail}" "$(( cw_clock_ms - cw_t0 ))" 0
}
cw_report_stopped() {
  cw_tally 1
  cw_last=; [ ! -r "$cw_dir/$1.last" ] || IFS= read -r cw_last < "$cw_dir/$1.last"
  cw_clock_now
  cw_record "$1" failed 'timed out' "no result within its $2 s timeout: stopped\${cw_last:+ (the attempt before: $cw_last)}" "$(( cw_clock_ms - cw_t0 ))" 0
}
# Reports each check as it ends, stops those past their deadline, then exits 0 (all passed),
# 1 (some failed) or 2 (some could not run).
cw_finish() {
  while [ -n "$cw_pending" ] && IFS= read -r cw_event <&3; do
    cw_clock_now; cw_left=
    for cw_e in $cw_pending; do
      cw_i=\${cw_e%%:*}; cw_p=\${cw_e#*:}; cw_at=\${cw_p#*:}; cw_p=\${cw_p%%:*}; cw_limit=\${cw_at#*:}; cw_at=\${cw_at%%:*}
      if [ "$cw_event" = "done $cw_i" ]; then cw_report "$cw_i"
      elif [ "$cw_clock_ms" -ge "$cw_at" ]; then cw_stop "$cw_p"; cw_report_stopped "$cw_i" "$cw_limit"
      else cw_left="$cw_left $cw_e"; fi
    done
    cw_pending=$cw_left
  done
  [ -z "$cw_errored" ] || exit 2
  [ -z "$cw_failed" ] || exit 1
  exit 0
}`;

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
    ...[...attempts].flatMap(([body, name]) => [`${name}() {`, body, '}']),
    ...checks.flatMap((check) => [`cw_v${check.id}() {`, ...valueAssignments(check.values), ':', '}']),
    'cw_begin',
    ...checks.map((check) => {
      const name = attempts.get(check.attempt.trim()) as string;
      return `cw_start ${check.id} ${millis(check.timeoutSeconds)} ${name} cw_v${check.id} ${Number(check.timeoutSeconds.toFixed(3))}`;
    }),
    'cw_finish',
    '}',
    'cw_main </dev/null',
    '',
  ].join('\n');
}

/** The script for one check alone (its record carries id 0). */
export function checkScript(check: CheckScriptOptions): string {
  return hostScript([{ ...check, id: 0 }]);
}
