// Shared helpers of the real-VS-Code suite (loaded by the *.test.cjs files of this folder).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { waitFor } = require('../../vscode-host/harness.cjs');

const EXT_ID = 'clockwork-dev.clockwork';
const folder = () => vscode.workspace.workspaceFolders[0].uri;
const fixturePath = (...parts) => path.join(folder().fsPath, ...parts);
const clockworkTs = () => vscode.Uri.file(fixturePath('clockwork.ts'));

/** The extension's API, once it activated by itself (workspaceContains:**\/clockwork.ts). */
async function api() {
  const ext = vscode.extensions.getExtension(EXT_ID);
  if (!ext) throw new Error(`${EXT_ID} is not loaded`);
  await waitFor(() => ext.isActive, { what: 'activation', timeoutMs: 30000 });
  await ext.exports.clientReady;
  return ext.exports;
}

/** Why docker tests cannot run here, or undefined. */
function dockerUnavailable() {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 15000 });
  } catch {
    return 'docker is not available (bash test/setup/start-dockerd.sh)';
  }
  try {
    execFileSync('docker', ['image', 'inspect', 'clockwork-test/busybox:latest'], { stdio: 'ignore' });
  } catch {
    return 'the image clockwork-test/busybox:latest is missing (bash test/setup/build-test-image.sh)';
  }
  return undefined;
}

/** The pyinfra program on PATH, or undefined. */
function pyinfraOnPath() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'pyinfra'))) return path.join(dir, 'pyinfra');
  }
  return undefined;
}

/** True under CI (CI=true or 1): .ci/run installs every tool, so no test may skip for a missing one. */
function underCi() {
  return ['true', '1'].includes(String(process.env.CI || '').toLowerCase());
}

/** Skips the test (or, from a hook, the suite) with a printed reason; under CI fails it instead (as test/support/tools.ts). */
function skipOrFail(context, reason) {
  if (underCi()) throw new Error(`${reason}. CI=true: this test must run, and .ci/run installs what it needs; a skip here would hide a regression`);
  console.log(`    skipped: ${reason}`);
  context.skip();
}

/** For a test that still runs in part without a tool: prints what it leaves out; under CI fails instead. */
function partlySkipped(reason) {
  if (underCi()) throw new Error(`${reason}. CI=true: this must run, and .ci/run installs what it needs`);
  console.log(`    partly skipped: ${reason}`);
}

/** Answers the extension's modal questions with `answer` (recording them), until restored. */
function answerModals(theApi, answer) {
  const asked = [];
  const original = theApi.ui.ask;
  theApi.ui.ask = async (message, detail, ...items) => {
    asked.push({ message, detail, items });
    return typeof answer === 'function' ? answer(message, items) : answer;
  };
  return { asked, restore: () => { theApi.ui.ask = original; } };
}

/** The Testing panel item of the fixture's clockwork.ts, with its children built. */
async function fileItem(theApi) {
  const controller = theApi.tests.controller;
  return waitFor(() => {
    const item = controller.items.get(clockworkTs().toString());
    return item && item.children.size >= 3 ? item : undefined;
  }, { what: 'Testing panel items', timeoutMs: 20000 });
}

/** Runs the Run profile's handler for `items`, as the Testing panel does. */
async function runProfile(theApi, items) {
  const source = new vscode.CancellationTokenSource();
  const finished = new Promise(resolve => { const d = theApi.tests.onDidFinishRun(r => { d.dispose(); resolve(r); }); });
  const profile = theApi.tests.runProfile;
  await profile.runHandler(new vscode.TestRunRequest(items, undefined, profile), source.token);
  return finished;
}

module.exports = { EXT_ID, folder, fixturePath, clockworkTs, api, dockerUnavailable, pyinfraOnPath, skipOrFail, partlySkipped, answerModals, fileItem, runProfile };
