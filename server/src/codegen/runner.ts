/**
 * The runner of a host's check script, as POSIX sh: one check's attempts, the worker that runs
 * quick checks in turn, the watchdog and the collector (hostScript.ts describes how they work
 * together and assembles the script around it).
 */
import { sh } from '../model/check.js';
import { RESULT_MARKER } from './checks.js';

/** How long a check may run past its timeout (its last attempt finishing) before it is stopped. */
export const STOP_GRACE_SECONDS = 2;

/** A quick check still on its first attempt after this long holds up the checks behind it: another worker takes them. */
export const HANDOFF_MS = 200;

/**
 * The job runner: one check's attempts, the worker that runs quick checks in turn, the
 * watchdog and the collector. Its own state is named `cwr_…`, so an attempt body (which runs
 * in a worker's shell and owns the `cw_…` names it assigns) cannot disturb it.
 */
export const RUNNER = sh`cw_tab=$(printf '\t'); cw_cr=$(printf '\r'); cw_nl='
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
# cw_open TIMEOUT_MS VALUES: a check's state before its first attempt.
cw_open() {
  cw_status=error; cw_actual=; cw_message='the check did not run'
  $2
  cw_timeout_ms=$1
  cw_clock_now; cw_started=$cw_clock_ms
  # Checks that run at once count their timeout from the start of the script (the last one
  # started is not given more time); one after another, each from its own start.
  if [ -n "$cwr_dir" ]; then cw_deadline=$(( cwr_t0 + cw_timeout_ms )); else cw_deadline=$(( cw_started + cw_timeout_ms )); fi
}
# cw_try ATTEMPT: one attempt.
cw_try() { cw_clock_now; cw_tried=$cw_clock_ms; $1; }
# cw_again: true when the last attempt failed and another (as long as that one, and 25 ms to
# start it) still ends by the deadline; cw_wait is how long to wait before it, in ms.
cw_again() {
  [ "$cw_status" = failed ] || return 1
  cw_clock_now; cw_wait=$(( cw_deadline - cw_clock_ms - (cw_clock_ms - cw_tried) - 25 ))
  [ "$cw_wait" -gt 0 ]
}
# cw_retry ID ATTEMPT: another attempt every 0.5 s while one fits; the last one ends at the deadline.
cw_retry() {
  while cw_again; do
    [ -z "$cwr_dir" ] || printf '%s\n' "$cw_message" > "$cwr_dir/$1.last"
    if [ "$cw_wait" -ge 500 ]; then cw_nap 0.5; else cw_nap "0.$(printf '%03d' "$cw_wait")"; fi
    cw_try "$2"
  done
}
# cw_close ID: prints the check's record; returns 0 (passed), 1 (failed) or 2 (error).
cw_close() {
  cw_clock_now
  cw_record "$1" "$cw_status" "$cw_actual" "$cw_message" "$(( cw_clock_ms - cw_started ))" "$(( cw_started - cwr_t0 ))"
  case $cw_status in passed) return 0 ;; failed) return 1 ;; *) return 2 ;; esac
}
# cw_job ID TIMEOUT_MS ATTEMPT VALUES: one check, retried until it passes, errors or times out.
cw_job() { cw_open "$2" "$4"; cw_try "$3"; cw_retry "$1" "$3"; cw_close "$1"; }
# cw_worker N: the first attempt of each quick check no other worker has claimed, one after
# another in this shell (a check is claimed by creating ID.c, which fails where it exists);
# a check that failed with time left goes on in a job of its own. It tells the collector
# "start ID N" before an attempt, then "done ID" (record in ID.r) or "job ID PID", and
# "gone N" when it ends.
cw_worker() {
  trap "echo 'gone $1' >&3" EXIT
  for cwr_q in $cwr_queue; do
    cwr_id=\${cwr_q%%:*}; cwr_r=\${cwr_q#*:}
    cwr_ms=\${cwr_r%%:*}; cwr_r=\${cwr_r#*:}
    cwr_att=\${cwr_r%%:*}; cwr_val=\${cwr_r#*:}
    set -C; cwr_mine=
    { true > "$cwr_dir/$cwr_id.c"; } 2>/dev/null && cwr_mine=1
    set +C
    [ -n "$cwr_mine" ] || continue
    echo "start $cwr_id $1" >&3
    cw_open "$cwr_ms" "$cwr_val"
    cw_try "$cwr_att" >/dev/null 2>>"$cwr_dir/$cwr_id.e"
    if cw_again; then
      { trap - EXIT
        cw_retry "$cwr_id" "$cwr_att" >/dev/null 2>>"$cwr_dir/$cwr_id.e"
        cw_close "$cwr_id" > "$cwr_dir/$cwr_id.r"; echo "done $cwr_id" >&3; } &
      echo "job $cwr_id $!" >&3
    else
      cw_close "$cwr_id" > "$cwr_dir/$cwr_id.r"; echo "done $cwr_id" >&3
    fi
  done
}
cw_tally() {
  case $1 in 0) ;; 1) cwr_failed=1 ;; *) cwr_errored=1 ;; esac
}
# The children of a process: pgrep, else /proc, else ps.
cw_children() {
  if cw_has pgrep; then pgrep -P "$1"; return 0; fi
  if [ -r /proc/self/stat ]; then
    for cwr_f in /proc/[0-9]*/stat; do
      { IFS= read -r cwr_l < "$cwr_f"; } 2>/dev/null || continue
      cwr_l=\${cwr_l##*) }; cwr_l=\${cwr_l#* }
      [ "\${cwr_l%% *}" != "$1" ] || { cwr_f=\${cwr_f#/proc/}; echo "\${cwr_f%/stat}"; }
    done
    return 0
  fi
  ps -A -o pid= -o ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1 }'
}
# Stops a process and everything it started, but the jobs in cwr_spare: freeze the tree
# top-down, then kill it.
cw_freeze() {
  case " $cwr_spare " in *" $1 "*) return 0 ;; esac
  kill -STOP "$1" 2>/dev/null || return 0
  cwr_tree="$cwr_tree $1"
  for cwr_c in $(cw_children "$1"); do cw_freeze "$cwr_c"; done
}
cw_stop() {
  cwr_tree=
  cw_freeze "$1"
  [ -z "$cwr_tree" ] || kill -KILL $cwr_tree 2>/dev/null
  wait "$1" 2>/dev/null
}
cw_cleanup() {
  cwr_spare=
  # The ticker holds nothing but the FIFO: a plain kill will do (its last nap ends by itself).
  [ -z "$cwr_ticker" ] || kill "$cwr_ticker" 2>/dev/null
  for cwr_e in $cwr_workers $cwr_pending; do cwr_p=\${cwr_e#*:}; cw_stop "\${cwr_p%%:*}"; done
  cwr_workers=; cwr_pending=
  exec 3>&-
  rm -rf "$cwr_dir"
}
# With a temporary folder and a FIFO, checks run at once; without, one after another.
cw_begin() {
  cw_clock_now; cwr_t0=$cw_clock_ms; cwr_pending=; cwr_failed=; cwr_errored=; cwr_ticker=; cwr_dir=
  cwr_queue=; cwr_quick=0; cwr_claimed=0; cwr_left=0; cwr_workers=; cwr_running=; cwr_hired=0; cwr_spare=
  if cw_has mktemp && cw_has mkfifo && cw_has rm && cw_has sleep; then
    cwr_dir=$(mktemp -d "\${TMPDIR:-/tmp}/clockwork-checks.XXXXXX" 2>/dev/null) && [ -d "$cwr_dir" ] || cwr_dir=
  fi
  [ -n "$cwr_dir" ] || return 0
  trap cw_cleanup EXIT
  trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
  # Events: from the workers and jobs as checks start and end, "tick" four times a second for
  # the deadlines and hand-offs.
  if mkfifo "$cwr_dir/events" && exec 3<>"$cwr_dir/events"; then
    cwr_main_pid=$$
    ( while kill -0 "$cwr_main_pid" 2>/dev/null; do cw_nap 0.25; echo tick >&3; done ) </dev/null >/dev/null 2>&1 &
    cwr_ticker=$!
  else
    rm -rf "$cwr_dir"; cwr_dir=
  fi
}
# cw_start ID TIMEOUT_MS ATTEMPT VALUES TIMEOUT_TEXT [WAITS]: queues a quick check for the
# workers, or starts a check that waits (on the network, a daemon, a command) in a job of its
# own at once; without a folder, runs it.
cw_start() {
  if [ -z "$cwr_dir" ]; then
    cwr_out=$( (cw_job "$1" "$2" "$3" "$4") )
    cw_tally $?
    printf '%s\n' "$cwr_out"
    return 0
  fi
  cwr_left=$(( cwr_left + 1 ))
  cwr_x=$(( cwr_t0 + $2 + ${STOP_GRACE_SECONDS * 1000} )); eval "cwr_at$1=$cwr_x cwr_lim$1=$5"
  if [ -n "\${6-}" ]; then
    ( (cw_job "$1" "$2" "$3" "$4") 3>&- > "$cwr_dir/$1.r"; echo "done $1" >&3 ) </dev/null 2>"$cwr_dir/$1.e" &
    cwr_pending="$cwr_pending $1:$!"
  else
    cwr_queue="$cwr_queue $1:$2:$3:$4"; cwr_quick=$(( cwr_quick + 1 ))
  fi
}
cw_hire() {
  cwr_hired=$(( cwr_hired + 1 ))
  cw_worker "$cwr_hired" </dev/null >/dev/null 2>&1 &
  cwr_workers="$cwr_workers $cwr_hired:$!"
}
# cw_settled ID: true (and the check counted) unless it was reported already.
cw_settled() {
  eval "cwr_x=\$cwr_rep$1"
  [ -z "$cwr_x" ] || return 1
  eval "cwr_rep$1=1"; cwr_left=$(( cwr_left - 1 ))
}
cw_report() {
  cw_settled "$1" || return 0
  cwr_rec=
  while IFS= read -r cwr_line; do
    case $cwr_line in "${RESULT_MARKER}$cw_tab$1$cw_tab"*) cwr_rec=$cwr_line ;; esac
  done < "$cwr_dir/$1.r"
  if [ -z "$cwr_rec" ]; then cw_report_lost "$1"; return; fi
  cwr_s=\${cwr_rec#*"$cw_tab"}; cwr_s=\${cwr_s#*"$cw_tab"}; cwr_s=\${cwr_s%%"$cw_tab"*}
  case $cwr_s in passed) cw_tally 0 ;; failed) cw_tally 1 ;; *) cw_tally 2 ;; esac
  printf '%s\n' "$cwr_rec"
}
cw_report_lost() {
  cw_tally 2
  cwr_detail=$(tail -n 1 "$cwr_dir/$1.e" 2>/dev/null)
  cw_clock_now
  cw_record "$1" error '' "the check ended without a result\${cwr_detail:+: $cwr_detail}" "$(( cw_clock_ms - cwr_t0 ))" 0
}
cw_report_stopped() {
  cw_settled "$1" || return 0
  cw_tally 1
  cwr_last=; [ ! -r "$cwr_dir/$1.last" ] || IFS= read -r cwr_last < "$cwr_dir/$1.last"
  eval "cwr_x=\$cwr_lim$1"
  cw_clock_now
  cw_record "$1" failed 'timed out' "no result within its $cwr_x s timeout: stopped\${cwr_last:+ (the attempt before: $cwr_last)}" "$(( cw_clock_ms - cwr_t0 ))" 0
}
# cw_drop LIST KEY: removes the entries of KEY ("KEY:…") from the list in variable LIST.
cw_drop() {
  eval "cwr_list=\$$1"; cwr_rest=
  for cwr_d in $cwr_list; do [ "\${cwr_d%%:*}" = "$2" ] || cwr_rest="$cwr_rest $cwr_d"; done
  eval "$1=\$cwr_rest"
}
# cw_watch: stops what is past its deadline (a job, or the worker holding a check), and hires
# another worker when every worker is held up by a slow check and some checks wait for one.
cw_watch() {
  cwr_keep=; cwr_spare=
  for cwr_e in $cwr_pending; do
    cwr_i=\${cwr_e%%:*}; cwr_p=\${cwr_e#*:}
    eval "cwr_x=\$cwr_at$cwr_i"
    if [ "$cw_clock_ms" -ge "$cwr_x" ]; then cw_stop "$cwr_p"; cw_report_stopped "$cwr_i"
    else cwr_keep="$cwr_keep $cwr_e"; cwr_spare="$cwr_spare $cwr_p"; fi
  done
  cwr_pending=$cwr_keep
  cwr_keep=; cwr_busy=0
  for cwr_e in $cwr_running; do
    cwr_i=\${cwr_e%%:*}; cwr_r=\${cwr_e#*:}; cwr_n=\${cwr_r%%:*}; cwr_since=\${cwr_r#*:}
    eval "cwr_x=\$cwr_at$cwr_i"
    if [ "$cw_clock_ms" -ge "$cwr_x" ]; then
      for cwr_w in $cwr_workers; do [ "\${cwr_w%%:*}" != "$cwr_n" ] || cw_stop "\${cwr_w#*:}"; done
      cw_drop cwr_workers "$cwr_n"
      cw_report_stopped "$cwr_i"
    else
      cwr_keep="$cwr_keep $cwr_e"
      [ $(( cw_clock_ms - cwr_since )) -lt ${HANDOFF_MS} ] || cwr_busy=$(( cwr_busy + 1 ))
    fi
  done
  cwr_running=$cwr_keep
  cwr_x=0; for cwr_w in $cwr_workers; do cwr_x=$(( cwr_x + 1 )); done
  if [ "$cwr_claimed" -lt "$cwr_quick" ] && [ "$cwr_busy" -ge "$cwr_x" ]; then cw_hire; fi
}
# cw_gone N: worker N has ended (a check it held, if any, ended without a result).
cw_gone() {
  cw_drop cwr_workers "$1"
  cwr_keep=
  for cwr_e in $cwr_running; do
    cwr_r=\${cwr_e#*:}
    if [ "\${cwr_r%%:*}" = "$1" ]; then cw_settled "\${cwr_e%%:*}" && cw_report_lost "\${cwr_e%%:*}"
    else cwr_keep="$cwr_keep $cwr_e"; fi
  done
  cwr_running=$cwr_keep
}
# Reports each check as it ends, stops those past their deadline, then exits 0 (all passed),
# 1 (some failed) or 2 (some could not run).
cw_finish() {
  [ "$cwr_quick" -eq 0 ] || cw_hire
  while [ "$cwr_left" -gt 0 ] && IFS= read -r cwr_event <&3; do
    cw_clock_now
    cwr_kind=\${cwr_event%% *}; cwr_r=\${cwr_event#* }; cwr_a=\${cwr_r%% *}; cwr_b=\${cwr_r#* }
    case $cwr_kind in
      start) cwr_claimed=$(( cwr_claimed + 1 )); cwr_running="$cwr_running $cwr_a:$cwr_b:$cw_clock_ms" ;;
      job) cw_drop cwr_running "$cwr_a"; eval "cwr_x=\$cwr_rep$cwr_a"; [ -n "$cwr_x" ] || cwr_pending="$cwr_pending $cwr_a:$cwr_b" ;;
      done)
        cw_drop cwr_running "$cwr_a"; cw_drop cwr_pending "$cwr_a"
        cw_report "$cwr_a" ;;
      gone) cw_gone "$cwr_a" ;;
    esac
    cw_watch
  done
  [ -z "$cwr_errored" ] || exit 2
  [ -z "$cwr_failed" ] || exit 1
  exit 0
}`;
