#!/usr/bin/env node
// The same extension-host suite through @vscode/test-electron (desktop VS Code, downloaded into .vscode-test/),
// for machines that can reach update.code.visualstudio.com. Not runnable on the offline build machines: use run.mjs.
//
//   node test/vscode-host/run-electron.mjs --ext <extensionDevelopmentPath> (--tests <extensionTestsPath.cjs> | --tests-dir <dir>)
//        [--folder <workspace>] [--env KEY=VALUE ...] [--grep re] [--vscode-version stable|insiders|1.100.3]
//   (headless Linux needs a display: xvfb-run -a node test/vscode-host/run-electron.mjs ...)
//
// Differences from run.mjs: uiKind Desktop, no remoteName, process.execPath is the Electron binary (spawn it with
// ELECTRON_RUN_AS_NODE=1 to get Node), and test-electron always passes --disable-workspace-trust (isTrusted is
// always true, so there is no --untrusted here). No screenshots (harness.cjs screenshot() is a no-op).
// mocha 12 (ESM) needs require(esm) in the extension host: Node >= 20.19 / 22.12, i.e. a recent VS Code ("stable").
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

const { values: o } = util.parseArgs({
  options: {
    ext: { type: 'string' }, tests: { type: 'string' }, 'tests-dir': { type: 'string' }, grep: { type: 'string' }, folder: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] }, 'vscode-version': { type: 'string', default: 'stable' },
  },
});
const HERE = path.dirname(fileURLToPath(import.meta.url));
if (o['tests-dir'] && !o.tests) o.tests = path.join(HERE, 'mocha-entry.cjs');
if (!o.ext || !o.tests) {
  console.error('usage: run-electron.mjs --ext <dir> (--tests <file.cjs> | --tests-dir <dir>) [--folder <dir>] [--env K=V ...] [--grep re] [--vscode-version v]');
  process.exit(2);
}
const extensionTestsEnv = {};
if (o['tests-dir']) extensionTestsEnv.CLOCKWORK_VSCODE_TESTS_DIR = path.resolve(o['tests-dir']);
if (o.grep) extensionTestsEnv.CLOCKWORK_VSCODE_TESTS_GREP = o.grep;
for (const kv of o.env) {
  const i = kv.indexOf('=');
  if (i < 1) { console.error(`--env expects KEY=VALUE, got ${kv}`); process.exit(2); }
  extensionTestsEnv[kv.slice(0, i)] = kv.slice(i + 1);
}

let runTests;
try { ({ runTests } = await import('@vscode/test-electron')); } catch {
  console.error('@vscode/test-electron is not installed (npm i -D @vscode/test-electron@^2.5.2)'); process.exit(2);
}

const ROOT = path.resolve(HERE, '../..');
try {
  const code = await runTests({
    version: o['vscode-version'],
    cachePath: path.join(ROOT, '.vscode-test'), // next to .vscode-test/code-server, gitignored
    extensionDevelopmentPath: path.resolve(o.ext),
    extensionTestsPath: path.resolve(o.tests),
    extensionTestsEnv,
    // first launch arg = the folder to open; --disable-extensions: only the extension under test (built-ins stay)
    launchArgs: [...(o.folder ? [path.resolve(o.folder)] : []), '--disable-extensions'],
  });
  process.exit(code);
} catch (e) {
  // runTests rejects (TestRunFailedError) when VS Code exits non-zero, i.e. when run() rejected
  console.error(e?.message ?? e);
  process.exit(typeof e?.code === 'number' && e.code > 0 ? e.code : 1);
}
