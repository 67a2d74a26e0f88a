import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { typeDeclarations } from '../../server/src/model/typeDeclarations.js';
import { STARTER_CLOCKWORK_TS, STARTER_TSCONFIG } from '../../server/src/protocol.js';
import { runCli } from '../support/cli.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';

describe('clockwork init', function () {
  this.timeout(60_000);
  after(removeProjects);

  it('writes the starter files Init Project writes, so a TypeScript server resolves the clockwork import', async () => {
    const dir = makeProject({ '.gitignore': 'node_modules/' });
    const run = await runCli(['init'], { cwd: dir });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /✓ Wrote clockwork\.ts, types\/clockwork\.d\.ts, tsconfig\.json, \.gitignore in /);
    // The same texts the VS Code command writes (both come from server/src/starterFiles.ts).
    assert.equal(fs.readFileSync(path.join(dir, 'clockwork.ts'), 'utf8'), STARTER_CLOCKWORK_TS);
    assert.equal(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'), STARTER_TSCONFIG);
    assert.equal(fs.readFileSync(path.join(dir, 'types/clockwork.d.ts'), 'utf8'), typeDeclarations());
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), "node_modules/\n# Clockwork's state, cache and generated programs\n.clockwork/\n");

    // What an editor's TypeScript server does with the folder: the import resolves, the file type-checks…
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const clean = await execa(process.execPath, [tsc, '-p', dir], { reject: false });
    assert.equal(clean.exitCode, 0, clean.stdout);
    // …and a typo'd field is reported against the declarations.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), STARTER_CLOCKWORK_TS.replace("content: 'Hello", "contnet: 'Hello"));
    const typo = await execa(process.execPath, [tsc, '-p', dir], { reject: false });
    assert.match(typo.stdout, /clockwork\.ts\(9,5\): error TS2561: Object literal may only specify known properties, but 'contnet' does not exist in type 'FileResourceSpec'\. Did you mean to write 'content'\?/);

    // The starter project plans as it is.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), STARTER_CLOCKWORK_TS);
    const plan = await runCli(['plan'], { cwd: dir });
    assert.equal(plan.exitCode, 0, plan.stderr);
    assert.match(plan.stdout, /FileResource hello\.txt/);
  });

  it('keeps an existing clockwork.ts and tsconfig.json, regenerates the declarations and adds .clockwork/ only once', async () => {
    const mine = "import { FileResource } from 'clockwork';\nexport default [new FileResource({ name: 'mine.txt', content: 'x' })];\n";
    const dir = makeProject({ 'clockwork.ts': mine, 'tsconfig.json': '{}\n', '.gitignore': '.clockwork/\n', 'types/clockwork.d.ts': 'stale' });
    const run = await runCli(['init', '--json'], { cwd: dir });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { ok: true, projectDir: dir, written: ['types/clockwork.d.ts'] });
    assert.equal(fs.readFileSync(path.join(dir, 'clockwork.ts'), 'utf8'), mine);
    assert.equal(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'), '{}\n');
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), '.clockwork/\n');
    assert.equal(fs.readFileSync(path.join(dir, 'types/clockwork.d.ts'), 'utf8'), typeDeclarations());
  });

  it('creates the folder given with --dir', async () => {
    const parent = makeProject({});
    const run = await runCli(['init', '--dir', 'new-project'], { cwd: parent });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.ok(fs.existsSync(path.join(parent, 'new-project', 'clockwork.ts')));
  });
});
