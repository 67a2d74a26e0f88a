// Extension-host side of the harness: VS Code calls run() (extensionTestsPath = this file) once the extension under
// development is loaded. Works the same under run.mjs (code-server) and run-electron.mjs (@vscode/test-electron).
//
// Loads every *.test.cjs in CLOCKWORK_VSCODE_TESTS_DIR (default: the folder of this file), sorted by name.
// Optional: CLOCKWORK_VSCODE_TESTS_GREP (mocha --grep), CLOCKWORK_VSCODE_TESTS_TIMEOUT (ms, default 20000).
// Prints the closing line `N passed, N failed` (`, N skipped` when tests are pending) and rejects on failure.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function loadMocha() {
  // mocha 12 is ESM ("type": "module") with CJS internals that require() ESM files: it needs require(esm),
  // i.e. Node >= 20.19 / 22.12 in the extension host (code-server 4.100.3 uses the system Node 20.20; desktop VS Code
  // >= 1.101 ships Node 22). With an older host, use mocha 11 (CommonJS).
  const m = require('mocha');
  return m.default || m;
}

function run() {
  const Mocha = loadMocha();
  const dir = path.resolve(process.env.CLOCKWORK_VSCODE_TESTS_DIR || __dirname);
  const mocha = new Mocha({
    ui: 'bdd', color: false, reporter: 'spec',
    timeout: Number(process.env.CLOCKWORK_VSCODE_TESTS_TIMEOUT) || 20000,
    ...(process.env.CLOCKWORK_VSCODE_TESTS_GREP ? { grep: process.env.CLOCKWORK_VSCODE_TESTS_GREP } : {}),
  });
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.test.cjs')).sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.cjs in ${dir}`));
  for (const f of files) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const { passes = 0, failures = 0, pending = 0 } = runner.stats || {};
        console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} tests failed.`));
        else resolve();
      });
    } catch (e) {
      console.error(e);
      console.log('0 passed, 1 failed');
      reject(e);
    }
  });
}

module.exports = { run };
