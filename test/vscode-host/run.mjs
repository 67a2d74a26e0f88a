#!/usr/bin/env node
// Runs a VS Code extension test suite inside a REAL VS Code extension host, offline:
// code-server 4.100.3 (= VS Code 1.100.3 server + web workbench, see install-code-server.sh) opened in headless
// Debian chromium driven by playwright-core. The workbench's test mode is used (the `payload` URL parameter with
// extensionDevelopmentPath / extensionTestsPath, as @vscode/test-web does): the extension host loads the extension
// under development, calls `run()` of the tests module, and the workbench reports the result through
// window.codeAutomationExit(code); test output arrives through window.codeAutomationLog(type, args).
//
//   node test/vscode-host/run.mjs --ext <extensionDevelopmentPath> (--tests <extensionTestsPath.cjs> | --tests-dir <dir>)
//        [--folder <workspace folder>] [--untrusted | --trust | --no-trust-feature] [--env KEY=VALUE ...] [--grep re]
//        [--settings extra-settings.json] [--screenshot out.png] [--screenshot-dir dir] [--timeout 180]
//        [--code-server <bin>] [--verbose] [--keep]
//   --tests-dir D = --tests mocha-entry.cjs --env CLOCKWORK_VSCODE_TESTS_DIR=D (runs D/*.test.cjs)
// Exit code: the tests' code (0 pass, 1 failure), 2 harness error, 3 timeout (screenshot *-timeout.png if asked).
//
// Workspace trust (what works in code-server 4.100.3 / VS Code 1.100.3, verified by sample/test):
//   * `security.workspace.trust.enabled` is only honoured when code-server runs WITHOUT --disable-workspace-trust
//     (that flag sets the workbench option enableWorkspaceTrust=false and then isTrusted is always true, whatever
//     the setting says). So this runner never passes the flag and controls trust through settings + trust storage.
//   * With trust enabled, a folder is trusted only if it is in the trusted-folders list `content.trust.model.key`,
//     which the web workbench keeps in the BROWSER (IndexedDB `vscode-web-state-db-global`, store `ItemTable`),
//     not on the server. A fresh browser profile therefore opens every folder in Restricted Mode.
//   * default (or --trust): trust enabled, and before loading the workbench the runner writes the folder
//     (vscode-remote://<authority><folder>) into that list -> vscode.workspace.isTrusted === true from the start.
//   * --untrusted: trust enabled, nothing written -> Restricted Mode, vscode.workspace.isTrusted === false.
//     The startup trust dialog is suppressed (security.workspace.trust.startupPrompt = never). The extension under
//     test must declare capabilities.untrustedWorkspaces.supported = true | "limited" to be activated at all.
//   * --no-trust-feature: security.workspace.trust.enabled = false (the old behaviour): always trusted,
//     onDidGrantWorkspaceTrust never fires.
// Environment: the extension host inherits code-server's environment, so every variable of this process (e.g.
// CLOCKWORK_TEST_*) plus each --env KEY=VALUE reaches `process.env` of the extension host. VSCODE_CLI=1 (what the
// `code` command sets) keeps it that way: without it the server replaces PATH and friends with those of a login shell
// (`$SHELL -ilc env`), and Debian's /etc/profile resets root's PATH, so a pyinfra this process found was not found there.
// Screenshots from inside a test: harness.cjs `screenshot(name)` logs `[vscode-host] screenshot <name>`; this
// runner sees it in codeAutomationLog, writes <screenshot-dir>/<name>.png (atomically) and the test polls for it.
// harness.cjs `ui(action, arg)` (hover or click a CSS selector, press a key) works the same way, for what the
// extension API cannot do (e.g. open a hover to take its picture).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CS_DIR = path.join(ROOT, '.vscode-test', 'code-server');
// codeAutomationLog carries the extension host's console output AND the workbench's own log; drop the latter's chatter.
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|\[Service Worker\]|ChatSessionStore:|Updating additional builtin extensions cache|Creation of workbench contribution)/;
const SCREENSHOT_MARKER = /^\[vscode-host\] screenshot ([\w.-]+)$/;
const UI_MARKER = /^\[vscode-host\] ui ([\w.-]+) (hover|click|press) (.+)$/;

const { values: o } = util.parseArgs({
  options: {
    ext: { type: 'string' }, tests: { type: 'string' }, 'tests-dir': { type: 'string' }, grep: { type: 'string' }, folder: { type: 'string' },
    trust: { type: 'boolean', default: false }, untrusted: { type: 'boolean', default: false },
    'no-trust-feature': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] }, settings: { type: 'string' },
    screenshot: { type: 'string' }, 'screenshot-dir': { type: 'string' },
    timeout: { type: 'string', default: '180' }, 'code-server': { type: 'string' },
    verbose: { type: 'boolean', default: !!process.env.VERBOSE }, keep: { type: 'boolean', default: !!process.env.KEEP_RUN_DIR },
    help: { type: 'boolean', short: 'h' },
  },
});
if (o['tests-dir'] && !o.tests) o.tests = path.join(HERE, 'mocha-entry.cjs');
if (o.help || !o.ext || !o.tests) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).map(l => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(o.help ? 0 : 2);
}
if (o.untrusted && (o.trust || o['no-trust-feature'])) { console.error('--untrusted excludes --trust / --no-trust-feature'); process.exit(2); }

const t0 = Date.now();
const el = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';
const say = (...a) => console.log(`[vscode-host ${el()}]`, ...a);
const extPath = path.resolve(o.ext);
const testsPath = path.resolve(o.tests);
const timeoutS = Number(o.timeout);
const codeServer = o['code-server'] || process.env.CODE_SERVER || path.join(CS_DIR, 'node_modules', '.bin', 'code-server');
for (const [what, p] of [['--ext', extPath], ['--tests', testsPath]]) if (!fs.existsSync(p)) { console.error(`${what} ${p} does not exist`); process.exit(2); }
if (!fs.existsSync(codeServer)) { console.error(`code-server not found at ${codeServer}: run  bash test/vscode-host/install-code-server.sh`); process.exit(2); }

// playwright-core: the project's devDependency if present, else the copy install-code-server.sh puts next to code-server.
async function loadPlaywright() {
  for (const from of [path.join(ROOT, 'package.json'), path.join(CS_DIR, 'package.json')]) {
    try { const p = createRequire(from).resolve('playwright-core'); return (await import(pathToFileURL(p).href)).default; } catch { /* next */ }
  }
  throw new Error('playwright-core not found (npm i -D playwright-core, or run install-code-server.sh)');
}

const extraEnv = {};
if (o['tests-dir']) extraEnv.CLOCKWORK_VSCODE_TESTS_DIR = path.resolve(o['tests-dir']);
if (o.grep) extraEnv.CLOCKWORK_VSCODE_TESTS_GREP = o.grep;
for (const kv of o.env) { const i = kv.indexOf('='); if (i < 1) { console.error(`--env expects KEY=VALUE, got ${kv}`); process.exit(2); } extraEnv[kv.slice(0, i)] = kv.slice(i + 1); }

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-vscode-'));
const folder = o.folder ? path.resolve(o.folder) : path.join(base, 'workspace');
fs.mkdirSync(folder, { recursive: true });
const screenshotDir = path.resolve(o['screenshot-dir'] || (o.screenshot ? path.dirname(path.resolve(o.screenshot)) : path.join(base, 'screenshots')));
fs.mkdirSync(screenshotDir, { recursive: true });
const trustFeature = !o['no-trust-feature'];

// Isolated user data: settings that keep the workbench quiet and offline.
const settings = {
  'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true, 'workbench.enableExperiments': false, 'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false, 'git.autofetch': false, 'git.openRepositoryInParentFolders': 'never', 'npm.fetchOnlinePackageInfo': false,
  'security.workspace.trust.enabled': trustFeature, 'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always', 'security.workspace.trust.untrustedFiles': 'open',
  ...(o.settings ? JSON.parse(fs.readFileSync(o.settings, 'utf8')) : {}),
};
fs.mkdirSync(path.join(base, 'user-data', 'User'), { recursive: true });
fs.writeFileSync(path.join(base, 'user-data', 'User', 'settings.json'), JSON.stringify(settings, null, 1));
fs.writeFileSync(path.join(base, 'config.yaml'), 'auth: none\n');

const env = {
  ...process.env, ...extraEnv,
  CLOCKWORK_VSCODE_SCREENSHOT_DIR: screenshotDir, // read by harness.cjs screenshot()
  EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}', // no marketplace
  VSCODE_CLI: '1', // the extension host gets this environment, not a login shell's (see "Environment" above)
  XDG_CONFIG_HOME: path.join(base, 'xdg-config'), XDG_DATA_HOME: path.join(base, 'xdg-data'), XDG_CACHE_HOME: path.join(base, 'xdg-cache'),
};
delete env.ELECTRON_RUN_AS_NODE; delete env.VSCODE_IPC_HOOK_CLI; // if launched from a VS Code terminal
const csArgs = ['--config', path.join(base, 'config.yaml'), '--bind-addr', '127.0.0.1:0', '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
  '--user-data-dir', path.join(base, 'user-data'), '--extensions-dir', path.join(base, 'extensions')];
say(`code-server ${codeServer}`);
const cs = spawn(codeServer, csArgs, { env, cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], detached: true }); // own process group; cwd = ours, so relative paths in --env work
let csLog = '';
let portResolve; const portP = new Promise(r => { portResolve = r; });
const onOut = d => {
  const s = d.toString(); csLog = (csLog + s).slice(-200_000);
  const m = s.match(/HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/); if (m) portResolve(Number(m[1]));
  if (o.verbose) process.stderr.write(s.replace(/^/gm, '[code-server] '));
};
cs.stdout.on('data', onOut); cs.stderr.on('data', onOut);
cs.on('exit', (code, sig) => { portResolve(null); finish(2, `code-server exited (${code ?? sig})`); });

let browser, page, finished = false;
async function cleanup() {
  try { await Promise.race([browser?.close(), new Promise(r => setTimeout(r, 5000))]); } catch { /* ignore */ }
  // code-server + extension host + language servers + watchers all live in code-server's process group
  const alive = () => { try { process.kill(-cs.pid, 0); return true; } catch { return false; } };
  try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* gone */ }
  for (let i = 0; i < 30 && alive(); i++) await new Promise(r => setTimeout(r, 100));
  try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* gone */ }
  if (!o.keep) fs.rmSync(base, { recursive: true, force: true }); else say(`kept ${base}`);
}
async function finish(code, msg) {
  if (finished) return; finished = true;
  if (msg) console.error(msg);
  if (code === 2 || code === 3) {
    if (page && o.screenshot) await page.screenshot({ path: o.screenshot.replace(/\.png$/, '') + (code === 3 ? '-timeout.png' : '-error.png') }).catch(() => {});
    console.error('--- code-server log (tail) ---\n' + csLog.slice(-8000));
  }
  await cleanup();
  process.exit(code);
}
process.on('SIGINT', () => finish(130, 'interrupted'));
process.on('SIGTERM', () => finish(143, 'terminated'));
process.on('SIGHUP', () => finish(129, 'hangup'));
process.on('exit', () => { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* already gone */ } }); // last resort
const timer = setTimeout(() => finish(3, `TIMEOUT after ${timeoutS}s`), timeoutS * 1000);

try {
  const port = await portP;
  if (!port) await finish(2, 'code-server exited before listening');
  const host = `127.0.0.1:${port}`;
  for (;;) { try { if ((await fetch(`http://${host}/healthz`)).ok) break; } catch { /* not yet */ } await new Promise(r => setTimeout(r, 100)); }
  say(`code-server up on ${host}`);
  // Remote authority: code-server's workbench.js overrides the page's remoteAuthority ("remote") with location.host,
  // so workspace/extension URIs are vscode-remote://127.0.0.1:<port>/abs/path (the trust key must use the same).
  const auth = host;
  const { chromium } = await loadPlaywright();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our finish() closes it, then kills code-server
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let resolveExit; const exitCode = new Promise(r => { resolveExit = r; });
  let shots = Promise.resolve();
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    if (!o.verbose && WORKBENCH_NOISE.test(line)) return; // the workbench's own log lines share this channel
    (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(line + '\n');
    const ui = line.trim().match(UI_MARKER);
    if (ui) shots = shots.then(async () => { // a mouse or key action the extension host cannot do; the test polls for <token>.done
      const [, token, action, arg] = ui;
      const done = () => fs.writeFileSync(path.join(screenshotDir, `${token}.done`), '');
      const act = action === 'press' ? page.keyboard.press(arg) : action === 'hover' ? page.hover(arg, { timeout: 5000 }) : page.click(arg, { timeout: 5000 });
      await act.then(done, (e) => { console.error(`ui ${action} ${arg} failed: ${e.message}`); done(); });
    });
    const s = line.trim().match(SCREENSHOT_MARKER);
    if (s) shots = shots.then(async () => { // write then rename: the test polls for the final name
      const file = path.join(screenshotDir, s[1] + '.png');
      await page.screenshot({ path: file + '.tmp.png' }).then(() => fs.renameSync(file + '.tmp.png', file), e => console.error(`screenshot ${s[1]} failed: ${e.message}`));
    });
  });
  await page.exposeFunction('codeAutomationExit', code => resolveExit(code));
  page.on('console', msg => { if (o.verbose) console.log(`[browser:${msg.type()}] ${msg.text()}`); });
  page.on('pageerror', e => { if (o.verbose) console.log(`[browser:pageerror] ${e.message}`); });

  if (trustFeature && !o.untrusted) {
    // Trust the folder before the workbench starts: seed the web workbench's trusted-folders list (see top comment).
    await page.goto(`http://${host}/healthz`);
    await page.evaluate(async ({ key, value }) => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open('vscode-web-state-db-global');
        r.onupgradeneeded = () => { if (!r.result.objectStoreNames.contains('ItemTable')) r.result.createObjectStore('ItemTable'); };
        r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
      });
      await new Promise((res, rej) => {
        const tx = db.transaction('ItemTable', 'readwrite'); tx.objectStore('ItemTable').put(value, key);
        tx.oncomplete = res; tx.onerror = () => rej(tx.error);
      });
      db.close();
    }, { key: 'content.trust.model.key', value: JSON.stringify({ uriTrustInfo: [{ uri: { scheme: 'vscode-remote', authority: auth, path: folder }, trusted: true }] }) });
  }

  const remoteUri = p => pathToFileURL(p).href.replace(/^file:\/\//, `vscode-remote://${auth}`); // percent-encoded path
  const payload = [['extensionDevelopmentPath', remoteUri(extPath)], ['extensionTestsPath', remoteUri(testsPath)]];
  await page.goto(`http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  say(`workbench loaded (folder ${folder}, workspace trust ${!trustFeature ? 'feature disabled' : o.untrusted ? 'enabled, folder UNTRUSTED' : 'enabled, folder trusted'})`);
  const code = await exitCode;
  await shots;
  say(`extension tests finished with exit code ${code}`);
  clearTimeout(timer);
  if (o.screenshot) { await page.screenshot({ path: o.screenshot }); say(`screenshot ${o.screenshot}`); }
  await finish(code);
} catch (e) {
  await finish(2, e?.stack || String(e));
}
