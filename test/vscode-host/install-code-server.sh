#!/usr/bin/env bash
# Installs code-server (VS Code's own server + web workbench) from the npm registry and Debian packages only,
# so extension tests can run in a real VS Code extension host without downloading VS Code.
#
#   bash test/vscode-host/install-code-server.sh          # -> .vscode-test/code-server (gitignored)
#   FORCE=1 bash test/vscode-host/install-code-server.sh  # reinstall
#
# code-server 4.100.3 = VS Code 1.100.3 and runs on the system Node 20 (newer code-server needs Node 22+).
# Idempotent: when $DEST/.installed exists with the same versions and `code-server --version` works, it exits
# at once. apt-get is only used when one of the needed Debian packages is missing.
# Also installs playwright-core (drives Debian's /usr/bin/chromium; no browser download) next to code-server,
# so run.mjs works even before playwright-core is a devDependency of the project.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEST=${DEST:-$ROOT/.vscode-test/code-server}
CS_VERSION=${CS_VERSION:-4.100.3}
PW_VERSION=${PW_VERSION:-1.65.1}
MARKER="$DEST/.installed"
WANT="code-server@$CS_VERSION playwright-core@$PW_VERSION node@$(node -p process.versions.modules)"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=warn
CS_BIN="$DEST/node_modules/.bin/code-server"

cs_works() { XDG_CONFIG_HOME="$DEST/.config" XDG_DATA_HOME="$DEST/.local" "$CS_BIN" --version 2>/dev/null | grep -q "^$CS_VERSION "; }

if [ -z "${FORCE:-}" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] && cs_works; then
  echo "code-server $CS_VERSION already installed in $DEST"
  exit 0
fi
T0=$(date +%s)
rm -f "$MARKER"

# --- Debian packages: ripgrep (VS Code search), libkrb5-dev + toolchain (native modules), chromium (test browser) ---
MISSING=()
for p in ripgrep libkrb5-dev python3 make g++ chromium; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING+=("$p")
done
if [ ${#MISSING[@]} -gt 0 ]; then
  [ -z "${SKIP_APT:-}" ] || { echo "missing Debian packages: ${MISSING[*]} (SKIP_APT set)"; exit 1; }
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "apt-get install ${MISSING[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
fi
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" = 20 ] || echo "warning: code-server $CS_VERSION expects Node 20, found $(node -v)" >&2

mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"name":"clockwork-code-server-host","private":true}' > package.json
# --ignore-scripts: code-server's postinstall.sh refuses root and downloads ripgrep from GitHub; we do its work below.
npm install --ignore-scripts "code-server@$CS_VERSION" "playwright-core@$PW_VERSION"
# argon2 is only needed for --auth password; build it from source anyway so nothing tries GitHub prebuilds.
npm rebuild --foreground-scripts --build-from-source argon2 > "$DEST/native-build.log" 2>&1 || echo "warning: argon2 build failed (only needed for --auth password)"
CS="$DEST/node_modules/code-server"

# --- what code-server's postinstall.sh does, by hand ---
cd "$CS/lib/vscode"
npm install --omit=dev --ignore-scripts
NATIVE=$(node -e '
  const fs=require("fs"),p=require("path");const out=[];
  const walk=d=>{for(const n of fs.readdirSync(d)){const q=p.join(d,n);if(n.startsWith("@")){walk(q);continue}
    const pj=p.join(q,"package.json");if(!fs.existsSync(pj))continue;const j=JSON.parse(fs.readFileSync(pj));
    const s=j.scripts||{};if(fs.existsSync(p.join(q,"binding.gyp"))||s.install||s.preinstall)out.push(j.name)}};
  walk("node_modules");console.log(out.filter(n=>!["node-pty","@vscode/ripgrep","kerberos"].includes(n)).join(" "))')
echo "building native modules: $NATIVE kerberos node-pty (log: $DEST/native-build.log)"
# npm 11 may skip dependency install scripts unless asked; --foreground-scripts + explicit rebuild runs them.
npm rebuild --foreground-scripts $NATIVE >> "$DEST/native-build.log" 2>&1 || { tail -40 "$DEST/native-build.log"; exit 1; }
# kerberos: prebuild-install would try GitHub first; compile directly (needs libkrb5-dev).
npm rebuild --foreground-scripts --build-from-source kerberos >> "$DEST/native-build.log" 2>&1 || { tail -40 "$DEST/native-build.log"; exit 1; }
# node-pty: its 4.100.x postinstall runs `npx node-gyp` only to write compile_commands.json, which npx cancels -> tolerate.
npm rebuild --foreground-scripts node-pty >> "$DEST/native-build.log" 2>&1 || true
# Check that the native modules VS Code needs on Linux load (a missing/wrong addon would only show up at run time).
for m in @parcel/watcher @vscode/spdlog node-pty native-watchdog kerberos @vscode/deviceid; do
  node -e "require('$m')" 2>/dev/null || { echo "native module $m does not load; see $DEST/native-build.log"; exit 1; }
done
# @vscode/ripgrep (4.100.x) downloads rg from GitHub in its postinstall: use Debian's ripgrep.
if [ -d node_modules/@vscode/ripgrep ]; then
  mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
fi
if grep -q symlink_asar "$CS/postinstall.sh"; then ln -sfn node_modules node_modules.asar; fi
ln -sfn code-linux.sh bin/remote-cli/code-server
ln -sfn browser-linux.sh bin/helpers/browser.sh
# built-in extensions' own dependencies (typescript for the TS/JS language features, ...)
( cd extensions && npm install --omit=dev )

cs_works || { echo "code-server does not start: $("$CS_BIN" --version 2>&1 | tail -5)"; exit 1; }
echo "$WANT" > "$MARKER"
echo "code-server installed in $DEST: $(XDG_CONFIG_HOME="$DEST/.config" XDG_DATA_HOME="$DEST/.local" "$CS_BIN" --version | tail -1) ($(( $(date +%s) - T0 )) s)"
