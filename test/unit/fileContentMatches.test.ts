/**
 * FileContentMatchesAssert's actual when the pattern does not match: what is there (size,
 * line count and the first lines, cut to a readable length), not just "no match". Runs the
 * real check script with sh (and BusyBox's sh, the tools a small host has).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCheckOutput, type CheckOutcome } from '../../server/src/codegen/checks.js';
import { checkScript } from '../../server/src/codegen/hostScript.js';
import { FileContentMatchesAssert as FileContentMatchesClass } from '../../server/src/model/assertions/fileContentMatchesAssert.js';
import { validateSpec } from '../../server/src/model/define.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const FileContentMatchesAssert = FileContentMatchesClass.definition;

function check(dir: string, spec: Record<string, unknown>, shell = 'sh'): CheckOutcome {
  const parsed = validateSpec(FileContentMatchesAssert.schema, { timeoutSeconds: 0.1, ...spec });
  assert.ok(parsed.ok);
  const data = FileContentMatchesAssert.check(parsed.spec as never, { projectDir: dir, resourceKind: 'FileResource', resourceName: 'x', container: undefined });
  const run = spawnSync(shell, ['-c', checkScript({ ...data, timeoutSeconds: 0.1 })], { encoding: 'utf8' });
  const outcome = parseCheckOutput(run.stdout);
  assert.ok(outcome, run.stdout + run.stderr);
  return outcome;
}

describe('FileContentMatchesAssert shows what is there', () => {
  after(removeProjects);
  const shells = ['sh', ...(fs.existsSync('/bin/busybox') ? ['/bin/busybox sh'] : [])];

  for (const shell of shells) {
    it(`size, lines and the first lines when the pattern does not match (${shell})`, () => {
      const long = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n');
      const dir = makeProject({ 'one.txt': 'made by the test', 'long.txt': `${long}\n`, 'empty.txt': '', 'tabs.txt': 'a\tb\r\nc\n' });
      const run = (spec: Record<string, unknown>): CheckOutcome => (shell === 'sh' ? check(dir, spec) : checkWith(dir, spec, shell));

      const one = run({ path: 'one.txt', pattern: 'this text is not there' });
      assert.equal(one.status, 'failed');
      assert.equal(one.actual, '16 bytes, 1 line: "made by the test"');
      assert.equal(one.message, 'the pattern does not match');

      const cut = run({ path: 'long.txt', pattern: 'nowhere' });
      assert.match(cut.actual, new RegExp(`^${long.length + 1} bytes, 40 lines: "line 0 x+ ⏎ line 1 x+ ⏎ line 2 x+" …$`));
      assert.ok(cut.actual.length < 260, cut.actual);

      assert.equal(run({ path: 'empty.txt', pattern: 'x' }).actual, 'an empty file');
      // Tabs and carriage returns never break the result line.
      assert.equal(run({ path: 'tabs.txt', pattern: 'zzz' }).actual, '7 bytes, 2 lines: "a b  ⏎ c"');
      // A match still says just that.
      assert.equal(run({ path: 'one.txt', pattern: 'made' }).actual, 'match');
    });
  }
});

function checkWith(dir: string, spec: Record<string, unknown>, shell: string): CheckOutcome {
  const [program, ...args] = shell.split(' ');
  const parsed = validateSpec(FileContentMatchesAssert.schema, { timeoutSeconds: 0.1, ...spec });
  assert.ok(parsed.ok);
  const data = FileContentMatchesAssert.check(parsed.spec as never, { projectDir: dir, resourceKind: 'FileResource', resourceName: 'x', container: undefined });
  // BusyBox's own tools, as on a minimal host.
  const bin = makeProject({});
  for (const tool of ['wc', 'tr', 'awk', 'head', 'grep', 'cut', 'date', 'sleep', 'printf']) fs.symlinkSync('/bin/busybox', path.join(bin, tool));
  const run = spawnSync(program as string, [...args, '-c', checkScript({ ...data, timeoutSeconds: 0.1 })], { encoding: 'utf8', env: { PATH: bin } });
  const outcome = parseCheckOutput(run.stdout);
  assert.ok(outcome, run.stdout + run.stderr);
  return outcome;
}
