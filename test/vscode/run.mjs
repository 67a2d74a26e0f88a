#!/usr/bin/env node
// The Clockwork extension's real-VS-Code suite (npm run test:vscode, part of npm test):
//   1. suite/      in a trusted copy of fixture/            (activation, language features, Apply, Assert, Destroy)
//   2. restricted/ in an untrusted copy of restricted-fixture/ (Restricted Mode)
// each through test/vscode-host/run.mjs (code-server + headless Chromium). Fixtures are copied to temp folders,
// so runs never write into the repository. Screenshots go to test-results/vscode/ (--docs-screenshot also copies
// the README's pictures to docs/). Prints `N passed, N failed` for both together; exit code 1 on failure.
//   node test/vscode/run.mjs [--only suite|restricted] [--docs-screenshot] [--verbose]
//   node test/vscode/run.mjs --electron   the trusted suite in desktop VS Code via @vscode/test-electron (needs internet
//                                         and a display, e.g. xvfb-run -a; test-electron has no Restricted Mode)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const { values: o } = util.parseArgs({ options: { electron: { type: 'boolean' }, only: { type: 'string' }, 'docs-screenshot': { type: 'boolean' }, verbose: { type: 'boolean' } } });
const shots = path.join(ROOT, 'test-results', 'vscode');
fs.mkdirSync(shots, { recursive: true });

function copyFixture(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `clockwork-vscode-${name}-`));
  fs.cpSync(path.join(HERE, name), dir, { recursive: true });
  return dir;
}

function runSuite(name, fixture, extra) {
  const folder = copyFixture(fixture);
  const args = o.electron
    ? [path.join(ROOT, 'test/vscode-host/run-electron.mjs'), '--ext', ROOT, '--tests-dir', path.join(HERE, name), '--folder', folder]
    : [path.join(ROOT, 'test/vscode-host/run.mjs'), '--ext', ROOT, '--tests-dir', path.join(HERE, name), '--folder', folder,
      '--screenshot-dir', shots, '--screenshot', path.join(shots, `${name}-final.png`), '--timeout', '240', ...extra, ...(o.verbose ? ['--verbose'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let counts;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      for (const match of String(chunk).matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)) {
        counts = { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3] ?? 0) };
      }
    });
    child.on('close', (code) => {
      fs.rmSync(folder, { recursive: true, force: true });
      resolve({ name, code, counts: counts ?? { passed: 0, failed: 1, skipped: 0 } });
    });
  });
}

const started = Date.now();
const results = [];
if (!o.only || o.only === 'suite') results.push(await runSuite('suite', 'fixture', []));
if (!o.electron && (!o.only || o.only === 'restricted')) results.push(await runSuite('restricted', 'restricted-fixture', ['--untrusted']));
const sum = (key) => results.reduce((total, result) => total + result.counts[key], 0);
const failedRuns = results.filter((result) => result.code !== 0 && result.counts.failed === 0).length;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const skipped = sum('skipped');
console.log(`\nVS Code suite (${results.map((r) => `${r.name}: ${r.counts.passed}/${r.counts.passed + r.counts.failed}`).join(', ')}; ${seconds} s)`);
console.log(`${sum('passed')} passed, ${sum('failed') + failedRuns} failed${skipped ? `, ${skipped} skipped` : ''}`);
// The README's pictures: the editor, the walkthrough, the Testing panel after Destroy.
const DOCS = { 'clockwork-editor.png': 'screenshot.png', 'walkthrough.png': 'walkthrough.png', 'testing-after-destroy.png': 'testing-after-destroy.png' };
if (o['docs-screenshot']) {
  fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
  for (const [shot, doc] of Object.entries(DOCS)) {
    if (!fs.existsSync(path.join(shots, shot))) continue;
    fs.copyFileSync(path.join(shots, shot), path.join(ROOT, 'docs', doc));
    console.log(`docs/${doc} updated`);
  }
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
