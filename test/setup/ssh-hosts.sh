#!/usr/bin/env bash
# Real SSH hosts for Clockwork's tests, on this machine: each host is Debian's sshd in its own
# network namespace (a veth pair to a bridge, an address from 10.201.0.0/16, which nothing else
# here uses) and its own mount namespace with private tmpfs on /srv, /tmp and /root (root's home),
# so a file one host deploys is on that host only. sshd and every session it starts live in
# those namespaces.
#
#   ssh-hosts.sh up N      start N hosts (host1..hostN); prints one JSON array on stdout:
#                          [{"name","address","port","user","keyFile","knownHostsFile"}]
#   ssh-hosts.sh status    print the same JSON array for a fleet that is up
#   ssh-hosts.sh down      stop this fleet's hosts and remove its namespaces, bridge and files
#   ssh-hosts.sh cut NAME  take a host off the network (its link goes down): a host lost mid-run
#   ssh-hosts.sh mend NAME bring it back
#   ssh-hosts.sh stop NAME kill the host's sshd and every session in it: a crash (/srv, /tmp go)
#   ssh-hosts.sh start NAME boot it again (a fresh sshd with empty /srv and /tmp)
#   ssh-hosts.sh prune     take down every fleet whose owner process (CLOCKWORK_SSH_OWNER) is gone
#
# A fleet is named by a prefix (--prefix P or CLOCKWORK_SSH_PREFIX; 2-8 of [a-z0-9]). The default
# is derived from this checkout's path, so two worktrees never share one; a process that wants a
# fleet of its own (test/support/sshHosts.ts) passes its own. Every interface, namespace and file
# carries the prefix, and `down` removes only what carries its own. Fleets' subnets are allocated
# under a lock, so fleets started at the same time by different processes never overlap.
#
# Each fleet has one client key (ed25519, no passphrase) authorized for root on its hosts, and a
# known_hosts file holding every host's own host key. The user is root: tests write only under
# /srv, /tmp and /root, which are private to each host; the rest of the file system is this machine's.
#
# Bounded: at most 200 hosts; `up` waits at most CLOCKWORK_SSH_WAIT seconds (default 20) for every
# sshd to answer, else it tears the fleet down again and fails. Needs root, iproute2, openssh-server.
set -euo pipefail

BASE="${CLOCKWORK_SSH_HOSTS_DIR:-/run/clockwork-ssh-hosts}"
SUBNET_BASE="10.201"
MAX_HOSTS=200
WAIT="${CLOCKWORK_SSH_WAIT:-20}"
SSHD=/usr/sbin/sshd
SFTP_SERVER=/usr/lib/openssh/sftp-server

die() { echo "ssh-hosts: $*" >&2; exit 1; }

default_prefix() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
  printf 'cw%s' "$(printf '%s' "$root" | cksum | cut -d' ' -f1 | awk '{ printf "%06x", $1 % 16777216 }')"
}

command="${1:-}"
[ -n "$command" ] && shift
PREFIX="${CLOCKWORK_SSH_PREFIX:-}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a value"; PREFIX="$2"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$PREFIX" ] || PREFIX="$(default_prefix)"
[[ "$PREFIX" =~ ^[a-z0-9]{2,8}$ ]] || die "prefix '$PREFIX' must be 2-8 characters of a-z and 0-9 (it names network interfaces)"
[[ "$BASE" =~ ^/[A-Za-z0-9._/-]+$ ]] || die "CLOCKWORK_SSH_HOSTS_DIR must be an absolute path of plain characters"
DIR="$BASE/$PREFIX"
BRIDGE="${PREFIX}br"

need_root() {
  [ "$(id -u)" = "0" ] || die "must run as root (it creates network namespaces)"
  command -v ip >/dev/null || die "ip not found (apt-get install -y iproute2)"
  [ -x "$SSHD" ] || die "$SSHD not found (apt-get install -y openssh-server)"
  [ -x "$SFTP_SERVER" ] || die "$SFTP_SERVER not found (apt-get install -y openssh-sftp-server)"
  command -v ssh-keygen >/dev/null || die "ssh-keygen not found (apt-get install -y openssh-client)"
}

# host_count: the number of hosts of the fleet that is up.
host_count() { cat "$DIR/count"; }

print_json() {
  local n subnet i sep=""
  n="$(host_count)"; subnet="$(cat "$DIR/subnet")"
  printf '['
  for ((i = 1; i <= n; i++)); do
    printf '%s{"name":"host%d","address":"%s.%d.%d","port":22,"user":"root","keyFile":"%s","knownHostsFile":"%s"}' \
      "$sep" "$i" "$SUBNET_BASE" "$subnet" "$((i + 1))" "$DIR/client_key" "$DIR/known_hosts"
    sep=","
  done
  printf ']\n'
}

# down_fleet DIR: stops every process in the fleet's namespaces, deletes them (which deletes their
# veth pairs), the bridge and the fleet's folder. Quiet and idempotent.
down_fleet() {
  local dir="$1" prefix ns pids
  prefix="$(basename "$dir")"
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${prefix}-host[0-9]+$" || true); do
    pids="$(ip netns pids "$ns" 2>/dev/null || true)"
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
  done
  ip link delete "${prefix}br" 2>/dev/null || true
  rm -rf "$dir"
}

# allocate_subnet: the lowest third octet no fleet and no route uses (call under the lock).
allocate_subnet() {
  local used octet
  used="$(cat "$BASE"/*/subnet 2>/dev/null || true)"
  for ((octet = 1; octet < 255; octet++)); do
    if grep -qx "$octet" <<<"$used"; then continue; fi
    if ip -4 route show | grep -q "^${SUBNET_BASE}\.${octet}\."; then continue; fi
    echo "$octet"; return 0
  done
  die "no free subnet in ${SUBNET_BASE}.0.0/16 (run: ssh-hosts.sh prune)"
}

# wait_ready SUBNET: 0 once the sshd of every host numbered in WAIT_HOSTS sends its banner,
# 1 after $WAIT seconds.
wait_ready() {
  local subnet="$1" deadline i pending
  deadline=$((SECONDS + WAIT))
  pending="$WAIT_HOSTS"
  while [ -n "$pending" ]; do
    local still=""
    for i in $pending; do
      if ! timeout 1 bash -c "exec 3<>/dev/tcp/${SUBNET_BASE}.${subnet}.$((i + 1))/22 && head -c 4 <&3 | grep -q SSH-" 2>/dev/null; then
        still="$still $i"
      fi
    done
    pending="$still"
    [ -z "$pending" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || { echo "ssh-hosts: no answer from host(s)$pending after ${WAIT}s; see $DIR/host*/sshd.log" >&2; return 1; }
    sleep 0.1
  done
}

# start_host NAME: boots the host's sshd in its network namespace and a new mount namespace with
# private tmpfs on /srv and /tmp, so sshd and all its sessions see that host's own files, and on
# /root: a fresh home, as on a new server (this machine's root dotfiles, e.g. a .bashrc that
# runs slow tools, would otherwise run for every command a session starts).
start_host() {
  local name="$1" hostdir="$DIR/$1"
  setsid ip netns exec "${PREFIX}-$name" unshare --mount --propagation private -- sh -c \
    "mount -t tmpfs -o size=64m,mode=755 ${PREFIX}-srv /srv && mount -t tmpfs -o size=64m,mode=1777 ${PREFIX}-tmp /tmp && mount -t tmpfs -o size=16m,mode=700 ${PREFIX}-home /root && exec $SSHD -D -e -f $hostdir/sshd_config" \
    </dev/null >>"$hostdir/sshd.log" 2>&1 &
}

# stop_host NAME: kills the host's sshd and every session in it (a crash: its /srv and /tmp go).
stop_host() {
  local pids
  pids="$(ip netns pids "${PREFIX}-$1" 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
}

up() {
  local n="${args[0]:-}" subnet i ns veth address hostdir
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$MAX_HOSTS" ] || die "usage: ssh-hosts.sh up N (1 <= N <= $MAX_HOSTS)"
  need_root
  mkdir -p "$BASE"; chmod 755 "$BASE"
  exec 9>"$BASE/.lock"
  flock -w 30 9 || die "timed out waiting for the lock on $BASE/.lock"
  [ ! -e "$DIR" ] || die "fleet '$PREFIX' is already up (ssh-hosts.sh down --prefix $PREFIX first)"
  subnet="$(allocate_subnet)"
  mkdir -p "$DIR"; chmod 755 "$DIR"
  echo "$subnet" >"$DIR/subnet"
  echo "$n" >"$DIR/count"
  echo "${CLOCKWORK_SSH_OWNER:-}" >"$DIR/owner"
  trap 'down_fleet "$DIR"' ERR
  ip link add "$BRIDGE" type bridge
  ip addr add "${SUBNET_BASE}.${subnet}.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  flock -u 9

  ssh-keygen -q -t ed25519 -N '' -C "clockwork-test-$PREFIX" -f "$DIR/client_key"
  cp "$DIR/client_key.pub" "$DIR/authorized_keys"
  : >"$DIR/known_hosts"
  mkdir -p /run/sshd /srv
  for ((i = 1; i <= n; i++)); do
    ns="${PREFIX}-host${i}"; veth="${PREFIX}v${i}"; address="${SUBNET_BASE}.${subnet}.$((i + 1))"
    hostdir="$DIR/host$i"
    mkdir -p "$hostdir"
    ssh-keygen -q -t ed25519 -N '' -C "host$i" -f "$hostdir/ssh_host_ed25519_key"
    echo "$address $(cut -d' ' -f1,2 "$hostdir/ssh_host_ed25519_key.pub")" >>"$DIR/known_hosts"
    cat >"$hostdir/sshd_config" <<EOF
ListenAddress $address:22
HostKey $hostdir/ssh_host_ed25519_key
PidFile $hostdir/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
MaxStartups 200
MaxSessions 100
Subsystem sftp $SFTP_SERVER
EOF
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" master "$BRIDGE" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$address/24" dev eth0
    ip -n "$ns" link set eth0 up
    start_host "host$i"
  done
  trap - ERR
  if ! WAIT_HOSTS="$(seq 1 "$n")" wait_ready "$subnet"; then
    down_fleet "$DIR"
    exit 1
  fi
  print_json
}

# host_action ACTION: cut, mend, stop or start the host named by the first argument.
host_action() {
  local name="${args[0]:-}"
  [[ "$name" =~ ^host[0-9]+$ ]] || die "usage: ssh-hosts.sh $1 hostN"
  [ -d "$DIR/$name" ] || die "no $name in fleet '$PREFIX'"
  case "$1" in
    cut) ip -n "${PREFIX}-$name" link set eth0 down ;;
    mend) ip -n "${PREFIX}-$name" link set eth0 up ;;
    stop) stop_host "$name" ;;
    start)
      stop_host "$name"
      start_host "$name"
      local subnet i="${name#host}"
      subnet="$(cat "$DIR/subnet")"
      WAIT_HOSTS="$i" wait_ready "$subnet" || exit 1 ;;
  esac
}

case "$command" in
  up) up ;;
  status) [ -d "$DIR" ] || die "fleet '$PREFIX' is not up"; print_json ;;
  down) need_root; down_fleet "$DIR" ;;
  cut|mend|stop|start) need_root; host_action "$command" ;;
  prune)
    need_root
    for dir in "$BASE"/*/; do
      [ -d "$dir" ] || continue
      owner="$(cat "$dir/owner" 2>/dev/null || true)"
      if [[ "$owner" =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null; then down_fleet "${dir%/}"; fi
    done ;;
  *) die "usage: ssh-hosts.sh up N | status | down | cut|mend|stop|start hostN | prune  [--prefix P]" ;;
esac
