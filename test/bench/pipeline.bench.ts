/**
 * Pipeline benchmark (npm run bench:pipeline). Prints figures, not pass/fail:
 *  1. load + validate + compile for generated projects of 10, 100 and 1,000 file resources,
 *     with the growth factor between sizes (goal: 1,000 in ≤ 1 s, linear);
 *  2. where pyinfra is installed: an apply of a 20-resource project with nothing to change,
 *     against bare `pyinfra -y inventory.py deploy.py` on the programs it generated, as ratios
 *     measured in one run (the sides alternate in each round, every other round reversed;
 *     medians of ROUNDS, default 11):
 *     `node dist/cli.cjs apply` (goal ≤ 1.10 ×) and `npx clockwork apply` run from the
 *     repository, as the README does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { compileApply, writePrograms } from '../../server/src/pipeline/compile/compile.js';
import { loadProject } from '../../server/src/pipeline/loader/load.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env['ROUNDS'] ?? 11);
const load = (): string =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const temporary: string[] = [];

function project(count: number): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `clockwork-bench-${count}-`)));
  temporary.push(dir);
  const resources = Array.from(
    { length: count },
    (_, i) => `  new FileResource({ name: 'file-${i}.txt', directory: 'out', mode: '644', content: 'Line one of file ${i}\\nLine two\\n' }),`,
  );
  fs.writeFileSync(path.join(dir, 'clockwork.ts'), `import { FileResource } from 'clockwork';\n\nexport default [\n${resources.join('\n')}\n];\n`);
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function loadAndCompile(dir: string): Promise<number> {
  const started = performance.now();
  const loaded = await loadProject({ target: dir, timeoutMs: 60_000 });
  const compiled = compileApply(loaded.resources, [], [], loaded.projectDir);
  writePrograms(path.join(dir, '.clockwork/pyinfra'), [compiled.deploy, compiled.destroy]);
  return performance.now() - started;
}

function findPyinfra(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'pyinfra'))) return path.join(dir, 'pyinfra');
  }
  return undefined;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { stdio: 'inherit' });
  console.log('Load + validate + compile (median of 5 runs, after 1 warm-up)');
  const sizes = [10, 100, 1000];
  const times: number[] = [];
  for (const size of sizes) {
    const dir = project(size);
    await loadAndCompile(dir);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await loadAndCompile(dir));
    times.push(median(runs));
  }
  sizes.forEach((size, i) => {
    const growth = i === 0 ? '' : `  ×${((times[i] ?? 0) / (times[i - 1] ?? 1)).toFixed(2)} for ×10 resources`;
    console.log(`  ${String(size).padStart(5)} resources: ${(times[i] ?? 0).toFixed(0).padStart(6)} ms${growth}`);
  });
  const perResource = ((times[2] ?? 0) - (times[0] ?? 0)) / (sizes[2]! - sizes[0]!);
  console.log(`  marginal cost: ${perResource.toFixed(3)} ms per resource; fixed cost ≈ ${((times[0] ?? 0) - perResource * 10).toFixed(0)} ms`);
  console.log(`  goal 1,000 in ≤ 1,000 ms: ${(times[2] ?? Infinity) <= 1000 ? 'met' : 'NOT met'}`);

  const pyinfra = findPyinfra();
  if (!pyinfra) {
    console.log('\nApply overhead: skipped (pyinfra is not on PATH)');
    return;
  }
  console.log(`\nApply of 20 unchanged resources against bare PyInfra (${ROUNDS} rounds, sides alternating, every other round reversed; medians). Load average: ${load()}`);
  const dir = project(20);
  const cli = path.join(repoRoot, 'dist/cli.cjs');
  const env = { OPENROUTER_API_KEY: undefined, LOG_LEVEL: undefined };
  const outputDir = path.join(dir, '.clockwork/pyinfra');
  const sides: Record<string, () => Promise<void>> = {
    'node dist/cli.cjs apply': async () => checkApply(await execa(process.execPath, [cli, 'apply'], { cwd: dir, env, reject: false })),
    'npx clockwork apply': async () => checkApply(await execa('npx', ['clockwork', 'apply', '--dir', dir], { cwd: repoRoot, env, reject: false })),
    'pyinfra -y inventory.py deploy.py': async () => {
      const bare = await execa(pyinfra, ['-y', 'inventory.py', 'deploy.py'], { cwd: outputDir, reject: false });
      if (bare.exitCode !== 0) throw new Error(`bare pyinfra failed:\n${bare.stderr}`);
    },
  };
  // The first apply deploys; the first npx run in a checkout installs it into npx's cache.
  const first = await execa(process.execPath, [cli, 'apply'], { cwd: dir, env, reject: false });
  if (first.exitCode !== 0) throw new Error(`the first apply failed:\n${first.stdout}\n${first.stderr}`);
  for (const side of Object.values(sides)) await side();
  const applyTimes: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Every other round in reverse order, so a load that drifts during a round favours no side.
    const order = round % 2 === 0 ? Object.entries(sides) : Object.entries(sides).reverse();
    for (const [name, side] of order) {
      const started = performance.now();
      await side();
      applyTimes[name]?.push(performance.now() - started);
    }
  }
  const bareRuns = applyTimes['pyinfra -y inventory.py deploy.py'] ?? [];
  const width = Math.max(...Object.keys(sides).map((name) => name.length));
  for (const [name, runs] of Object.entries(applyTimes)) {
    const ratios = runs.map((ms, i) => ms / (bareRuns[i] ?? Number.NaN));
    const ratio = name.startsWith('pyinfra') ? '' : `  ${median(ratios).toFixed(2)} × bare PyInfra (median of each round's ratio)`;
    console.log(`  ${name.padEnd(width)} ${median(runs).toFixed(0).padStart(6)} ms${ratio}`);
  }
  const cliRuns: number[] = applyTimes['node dist/cli.cjs apply'] ?? [];
  const cliRatio = median(cliRuns.map((ms, i) => ms / (bareRuns[i] ?? Number.NaN)));
  console.log(`  goal node dist/cli.cjs apply ≤ 1.10 × bare PyInfra: ${cliRatio <= 1.1 ? 'met' : 'NOT met'}. Load average at the end: ${load()}`);
}

function checkApply(apply: { exitCode?: number | undefined; stdout: string }): void {
  if (apply.exitCode !== 0 || !apply.stdout.includes('(20 unchanged)')) throw new Error(`apply did not leave everything unchanged:\n${apply.stdout}`);
}

try {
  await main();
} finally {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
}
