/**
 * Clockwork's language server in Neovim (issue 17): Debian's Neovim, headless, with its own
 * LSP client configured by test/nvim/init.lua (the README's configuration), drives the built
 * server through test/nvim/suite.lua on a temporary project: diagnostics (one on a line with
 * non-ASCII text before it), completion without snippet support, hover, outline, quick fixes
 * applied by Neovim itself, Apply, Assert and Destroy through workspace/executeCommand (from
 * CodeLens) with real PyInfra, and a clean shutdown. Neovim runs once; each `it` checks one step of what it saw.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { commandMissing, partlySkipped, requireCommand, skipOrFail } from '../support/tools.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';
import { assertionDefinitions } from '../../server/src/model/registry.js';

const SOURCE = `// Clockwork from Neovim
import { FileContentMatchesAssert, FileExistsAssert, FileResource } from "clockwork";

export default [
  new FileResource({
    name: "hello.txt",
    directory: "scratch",
    content: "Hello from Neovim\\n",
    descriptoin: "A greeting",
    /* 🕰 café ☕ */ mode: "rw-r--r--",
    assertions: [
      new FileContentMatchesAssert({ path: "scratch/hello.txt", pattern: "Goodbye" }),
      new FileExistsAssert({ path: "scratch/hello.txt" }), 
    ],
  }),
];
`;

interface Diagnostic {
  line: number;
  col: number;
  end_col: number;
  code: string;
  message: string;
  covered: string;
}

type Step = { error?: string } & Record<string, unknown>;

describe('Neovim (its built-in LSP client) with the Clockwork language server', function () {
  this.timeout(240_000);
  let seen: Record<string, Step> = {};
  let runs = false;
  let projectDir = '';

  before(async function () {
    requireCommand(this, 'nvim');
    const pyinfraMissing = commandMissing('pyinfra');
    runs = pyinfraMissing === undefined;
    // Without PyInfra the rest still runs; under CI=true this fails instead.
    if (pyinfraMissing) partlySkipped(`Apply, Assert and Destroy: ${pyinfraMissing}`);
    projectDir = makeProject({ 'clockwork.ts': SOURCE });
    const out = path.join(projectDir, '.nvim-result.json');
    const run = await execa('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(repoRoot, 'test/nvim/init.lua'), '-c', `luafile ${path.join(repoRoot, 'test/nvim/suite.lua')}`], {
      env: {
        CLOCKWORK_SERVER: path.join(repoRoot, 'dist/server.cjs'),
        CLOCKWORK_NVIM_PROJECT: projectDir,
        CLOCKWORK_NVIM_OUT: out,
        CLOCKWORK_NVIM_RUNS: runs ? '1' : '0',
        // Neovim keeps its state and logs here, not in the user's home.
        XDG_STATE_HOME: path.join(projectDir, '.nvim-state'),
        XDG_CACHE_HOME: path.join(projectDir, '.nvim-cache'),
        XDG_DATA_HOME: path.join(projectDir, '.nvim-data'),
      },
      reject: false,
      timeout: 200_000,
      stdin: 'ignore',
    });
    assert.ok(fs.existsSync(out), `Neovim wrote no result (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
    seen = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, Step>;
  });

  after(removeProjects);

  const stepOf = (name: string): Step => {
    const step = seen[name];
    assert.ok(step, `Neovim did not reach ${name}`);
    assert.equal(step.error, undefined, `${name}: ${step.error}`);
    return step;
  };

  it('starts the server for clockwork.ts and publishes its diagnostics at the right columns, after non-ASCII text too', () => {
    assert.equal(stepOf('attach')['name'], 'clockwork');
    const diagnostics = stepOf('diagnostics')['items'] as Diagnostic[];
    // Neovim turns the UTF-16 ranges into byte columns: each must cover exactly the offending text.
    assert.deepEqual(
      diagnostics.map((item) => [item.line, item.code, item.covered]),
      [
        [8, 'unknown-property', 'descriptoin'],
        [9, 'schema', '"rw-r--r--"'],
      ],
    );
    assert.equal(diagnostics[1]?.col, Buffer.byteLength('    /* 🕰 café ☕ */ mode: '));
    console.log(`      start → first diagnostics in Neovim: ${Math.round(stepOf('diagnostics')['ms'] as number)} ms`);
  });

  it('completes without snippets (Neovim 0.7 has no snippet support): plain text with the defaults, and the import', () => {
    const step = stepOf('completion');
    // Every assertion is offered (the registry's, whatever their number).
    assert.equal(step['count'], assertionDefinitions.length);
    assert.ok((step['formats'] as number[]).every((format) => format === 1), `formats ${JSON.stringify(step['formats'])}`);
    assert.doesNotMatch(String(step['newText']), /\$\{?\d/);
    // Inserted at the cursor (Neovim's normal-mode cursor sits on the line's last character).
    assert.match(String(step['line']), /new FileExistsAssert\(\{ path: "scratch\/hello\.txt" \}\),\s?new FileSizeAssert\(\{ path: "scratch\/hello\.txt", minBytes: 100 \}\)\s*$/);
    assert.equal(step['import'], 'import { FileContentMatchesAssert, FileExistsAssert, FileResource, FileSizeAssert } from "clockwork";');
  });

  it('shows hover docs with every field', () => {
    const value = String(stepOf('hover')['value']);
    assert.match(value, /^\*\*FileResource\*\*/);
    assert.match(value, /- `mode\?`: `string` — default `"644"`/);
  });

  it('gives the outline: each resource with its assertions', () => {
    assert.deepEqual(stepOf('outline')['symbols'], [{ name: 'hello.txt', children: ['FileContentMatchesAssert', 'FileExistsAssert', 'FileSizeAssert'] }]);
  });

  it('applies a quick fix on the line with non-ASCII text exactly where it belongs', () => {
    const step = stepOf('quickfix');
    assert.equal(step['line'], '    /* 🕰 café ☕ */ mode: "644",');
    assert.equal(step['renamed'], '    description: "A greeting",');
    assert.deepEqual(step['remaining'], []);
  });

  it('runs Apply and Assert through workspace/executeCommand, with progress, messages and failed assertions at their lines', function () {
    if (!runs) skipOrFail(this, 'pyinfra is not on PATH');
    const apply = stepOf('apply');
    const applied = apply['messages'] as { type: number; message: string }[];
    assert.equal(applied.length, 1, JSON.stringify(applied));
    assert.match(applied[0]!.message, /^✓ .*1 created/);
    assert.equal(applied[0]!.type, 3); // Info
    assert.equal(apply['content'], 'Hello from Neovim\n');
    const kinds = (apply['progress'] as { kind: string }[]).map((item) => item.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    const check = stepOf('assert');
    const checked = check['messages'] as { type: number; message: string }[];
    assert.equal(checked.length, 1, JSON.stringify(checked));
    // The completed FileSizeAssert keeps its default minimum of 100 bytes: it fails too.
    assert.match(checked[0]!.message, /^✗ 2 failed of 3 assertions \(1 passed\)/);
    assert.equal(checked[0]!.type, 2); // Warning: the run worked, a check failed
    const failed = (check['failed'] as { line: number; message: string; text: string }[]).sort((a, b) => a.line - b.line);
    console.log(`      ${failed.map((item) => item.message.replace(/\n/g, ' | ')).join('\n      ')}`);
    assert.equal(failed.length, 2);
    assert.match(failed[0]!.text, /new FileContentMatchesAssert/);
    assert.match(failed[0]!.message, /^FileContentMatchesAssert failed on @local.*\nexpected: .*Goodbye.*\nactual: /s);
    assert.match(failed[1]!.text, /new FileSizeAssert/);
    assert.match(failed[1]!.message, /^FileSizeAssert failed on @local.*\nexpected: .*100.*\nactual: .*18/s);
  });

  it('runs Destroy the same way: the file goes, and so do the failed assertions\' diagnostics', function () {
    if (!runs) skipOrFail(this, 'pyinfra is not on PATH');
    const destroyed = stepOf('destroy')['messages'] as { type: number; message: string }[];
    assert.equal(destroyed.length, 1, JSON.stringify(destroyed));
    assert.match(destroyed[0]!.message, /^✓ /);
    assert.equal(fs.existsSync(path.join(projectDir, 'scratch/hello.txt')), false);
  });

  it('shuts down cleanly: shutdown, exit, exit code 0', () => {
    assert.deepEqual(stepOf('shutdown'), { exitCode: 0, stopped: true });
  });
});
