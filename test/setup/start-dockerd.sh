#!/usr/bin/env bash
# Start a Docker daemon for Clockwork's integration tests, if none is running.
#
# Idempotent: exits 0 at once when `docker info` already answers.
# Otherwise starts `dockerd` in the background (log: /tmp/dockerd.log, override
# with DOCKERD_LOG) and waits up to 60 s (DOCKERD_WAIT) for `docker info`.
#
# Flags: on this project's machines (Debian bookworm, docker.io 20.10, a VM
# kernel with overlayfs, cgroup v1 and working iptables) a plain `dockerd`
# with its defaults (overlay2 storage, iptables/NAT on) works, and port
# publishing to 127.0.0.1 works with it, so no flags are passed by default.
# If that first attempt dies or does not answer in time (e.g. a sandbox with no
# overlayfs or no iptables/netfilter), the script retries once with
#   --storage-driver=vfs   (no overlayfs needed; slower, more disk)
#   --iptables=false --ip6tables=false  (no netfilter needed; `-p 127.0.0.1:H:C`
#                          still works through docker-proxy, the userland proxy)
# Set DOCKERD_FLAGS to force a particular set of flags instead.
set -euo pipefail

LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
WAIT="${DOCKERD_WAIT:-60}"
FALLBACK_FLAGS="--storage-driver=vfs --iptables=false --ip6tables=false"

if docker info >/dev/null 2>&1; then
  echo "start-dockerd: docker is already running"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "start-dockerd: dockerd not found (apt-get install -y docker.io)" >&2
  exit 1
fi

if [ "$(id -u)" != "0" ]; then
  echo "start-dockerd: must run as root to start dockerd" >&2
  exit 1
fi

# wait_for_docker PID SECONDS: 0 when `docker info` answers, 1 on timeout or if PID died.
wait_for_docker() {
  local pid="$1" secs="$2" i
  for ((i = 0; i < secs; i++)); do
    if docker info >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    sleep 1
  done
  docker info >/dev/null 2>&1
}

# start_dockerd FLAGS...: start dockerd detached from this shell; prints its PID.
start_dockerd() {
  echo "start-dockerd: starting dockerd $*" >>"$LOG"
  # setsid + nohup: the daemon must outlive this script and its session.
  setsid nohup dockerd "$@" >>"$LOG" 2>&1 </dev/null &
  echo $!
}

# A stale pid file from a dead daemon makes dockerd refuse to start.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  rm -f /var/run/docker.pid
fi

if [ -n "${DOCKERD_FLAGS+x}" ]; then
  # shellcheck disable=SC2086 # word splitting of the flags is intended
  pid="$(start_dockerd ${DOCKERD_FLAGS})"
  if wait_for_docker "$pid" "$WAIT"; then
    echo "start-dockerd: docker is up (dockerd ${DOCKERD_FLAGS}, pid $pid, log $LOG)"
    exit 0
  fi
  echo "start-dockerd: dockerd did not come up in ${WAIT}s; see $LOG" >&2
  tail -n 20 "$LOG" >&2 || true
  exit 1
fi

pid="$(start_dockerd)"
if wait_for_docker "$pid" "$WAIT"; then
  echo "start-dockerd: docker is up (pid $pid, log $LOG)"
  exit 0
fi

echo "start-dockerd: plain dockerd failed; retrying with: $FALLBACK_FLAGS" >&2
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 15); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
fi
rm -f /var/run/docker.pid
# shellcheck disable=SC2086
pid="$(start_dockerd $FALLBACK_FLAGS)"
if wait_for_docker "$pid" "$WAIT"; then
  echo "start-dockerd: docker is up (dockerd $FALLBACK_FLAGS, pid $pid, log $LOG)"
  exit 0
fi

echo "start-dockerd: dockerd did not come up in ${WAIT}s; see $LOG" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
