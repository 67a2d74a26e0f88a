#!/usr/bin/env bash
# Build the local Docker image clockwork-test/busybox:latest used by Clockwork's
# integration tests, without any registry: its root filesystem is made from
# Debian's busybox-static (/bin/busybox plus its applet symlinks) and a tiny web
# root, then loaded with `docker import`. The image runs busybox httpd on port 80
# serving /www/index.html ("clockwork test page").
# Its default command wraps httpd in a shell that exits on SIGTERM: busybox httpd as
# PID 1 ignores SIGTERM, so `docker stop` would wait its full 10 s grace period.
#
# Idempotent: does nothing when the image already exists (set FORCE=1 to rebuild).
# Needs a running Docker daemon (see start-dockerd.sh) and busybox-static
# (installed with apt-get when missing and running as root).
set -euo pipefail

IMAGE="${CLOCKWORK_TEST_IMAGE:-clockwork-test/busybox:latest}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

if [ "${FORCE:-0}" != "1" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "build-test-image: $IMAGE already exists"
  exit 0
fi

# The rootfs needs a statically linked busybox: the image has no libc.
# (ldd exits non-zero on a static binary: "not a dynamic executable".)
is_static() { ! ldd "$1" >/dev/null 2>&1; }
if [ ! -x "$BUSYBOX" ] || ! is_static "$BUSYBOX"; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >/dev/null
    BUSYBOX=/bin/busybox
  fi
fi
if [ ! -x "$BUSYBOX" ] || ! is_static "$BUSYBOX"; then
  echo "build-test-image: need a static busybox at $BUSYBOX (apt-get install -y busybox-static)" >&2
  exit 1
fi

STAGE="$(mktemp -d /tmp/clockwork-test-rootfs.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,www,root,proc,sys,dev,var/run}
chmod 1777 "$STAGE/tmp"
cp "$BUSYBOX" "$STAGE/bin/busybox"
chmod 755 "$STAGE/bin/busybox"
# `busybox --install -s DIR` puts every applet symlink (flat) in DIR, but points
# them at the absolute path of the busybox binary that ran, i.e. the staging
# dir; re-point each one at /bin/busybox, where it lives inside the image.
"$STAGE/bin/busybox" --install -s "$STAGE/bin"
for link in "$STAGE"/bin/*; do
  if [ -L "$link" ]; then
    ln -sfn /bin/busybox "$link"
  fi
done
# /bin/sh must exist for `docker exec ... sh` and shell-based tooling.
[ -e "$STAGE/bin/sh" ] || ln -s /bin/busybox "$STAGE/bin/sh"

cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
printf 'clockwork test page\n' >"$STAGE/www/index.html"

tar -C "$STAGE" --numeric-owner --owner=0 --group=0 -cf - . \
  | docker import \
      --change "CMD [\"/bin/sh\",\"-c\",\"trap 'exit 0' TERM INT; /bin/httpd -f -p 80 -h /www & wait\"]" \
      --change 'EXPOSE 80' \
      --message 'clockwork test image (busybox-static + httpd)' \
      - "$IMAGE" >/dev/null

echo "build-test-image: built $IMAGE"
