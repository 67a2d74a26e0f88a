// Helpers for tests running in the extension host (require it from a *.test.cjs).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * Ask the runner for a screenshot of the workbench as it is now, and wait until it is written.
 * run.mjs watches codeAutomationLog for the marker line, saves <CLOCKWORK_VSCODE_SCREENSHOT_DIR>/<name>.png
 * and the test polls for that file. Without run.mjs (e.g. @vscode/test-electron) it is a no-op returning undefined.
 * Give the UI a moment to paint first (e.g. after showTextDocument).
 */
async function screenshot(name, { timeoutMs = 15000 } = {}) {
  const dir = process.env.CLOCKWORK_VSCODE_SCREENSHOT_DIR;
  if (!dir || !/^[\w.-]+$/.test(name)) return undefined;
  const file = path.join(dir, name + '.png');
  fs.rmSync(file, { force: true });
  console.log(`[vscode-host] screenshot ${name}`);
  const end = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > end) throw new Error(`screenshot ${name}: runner did not write ${file}`);
    await new Promise(r => setTimeout(r, 100));
  }
  return file;
}

let uiCount = 0;
/**
 * Ask the runner for a mouse or key action in the workbench page: `hover` or `click` a CSS selector, or `press` a key
 * (Playwright's names, e.g. 'Escape'). Waits until it was done (a failed action is logged, not thrown). No-op without
 * run.mjs.
 */
async function ui(action, arg, { timeoutMs = 15000 } = {}) {
  const dir = process.env.CLOCKWORK_VSCODE_SCREENSHOT_DIR;
  if (!dir) return false;
  const token = `ui-${process.pid}-${++uiCount}`;
  const done = path.join(dir, `${token}.done`);
  console.log(`[vscode-host] ui ${token} ${action} ${arg}`);
  const end = Date.now() + timeoutMs;
  while (!fs.existsSync(done)) {
    if (Date.now() > end) throw new Error(`ui ${action} ${arg}: runner did not answer`);
    await new Promise(r => setTimeout(r, 50));
  }
  fs.rmSync(done, { force: true });
  return true;
}

/** Poll until fn() returns a truthy value (or throw after timeoutMs). */
async function waitFor(fn, { timeoutMs = 10000, intervalMs = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

module.exports = { screenshot, ui, waitFor };
