/**
 * Many-hosts benchmark (npm run bench:fleet). Prints figures, not pass/fail: on real sshd hosts
 * (test/setup/ssh-hosts.sh, 20 of them), `clockwork apply` then `clockwork assert` of 20 file
 * resources with two assertions each, targeting 1, 5 and 20 hosts; the wall time of each, and
 * the ratio 20 hosts / 1 host for apply and for assert (goal ≤ 1.5: one PyInfra run reaches
 * its hosts in parallel). Each size deploys to folders of its own, so every apply creates.
 * With each figure, the CPU time Clockwork and PyInfra used, and the hosts' sshd: all the hosts
 * share this machine's cores, which a real fleet does not, so it also prints the ratios with the
 * hosts' CPU time spread over this machine's cores set apart (an estimate, labelled so).
 *
 * Baselines in the same run, on the same hosts: PyInfra alone running the deploy.py Clockwork
 * wrote (on fresh paths, so it creates as much), and one command per host (`pyinfra exec --
 * true`: connecting and one round trip, the floor of any assert). Where the hosts' own CPU
 * queues for this machine's cores, these scale just as badly: the ratios say how much of the
 * scaling is Clockwork's. Options: --reps N (the median run of N per size, default 1),
 * --sizes 1,5,20.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { SshFleet, sshHostsUnavailable } from '../support/sshHosts.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const RESOURCES = 20;

function project(fleet: SshFleet, size: number, folder: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `clockwork-fleet-bench-${size}-`)));
  const hosts = fleet.hosts.slice(0, size).map(
    (host, index) =>
      `const h${index} = new SshHost({ name: 'web${index + 1}', address: '${host.address}', user: '${host.user}', keyFile: '${host.keyFile}', knownHostsFile: '${host.knownHostsFile}' });`,
  );
  const targets = `[${fleet.hosts.slice(0, size).map((_, index) => `h${index}`).join(', ')}]`;
  const resources = Array.from({ length: RESOURCES }, (_, i) => {
    const file = `/srv/bench/${folder}/file-${i}.txt`;
    return `  new FileResource({ name: 'file-${i}.txt', path: '${file}', content: 'Line one of file ${i}\\nLine two\\n', targets: ${targets},
    assertions: [new FileExistsAssert({ path: '${file}' }), new FileContentMatchesAssert({ path: '${file}', pattern: '^Line two$' })] }),`;
  });
  fs.writeFileSync(
    path.join(dir, 'clockwork.ts'),
    ["import { SshHost, FileResource, FileExistsAssert, FileContentMatchesAssert } from 'clockwork';", ...hosts, 'export default [', ...resources, '];', ''].join('\n'),
  );
  return dir;
}

/** What one run cost: wall time, and the CPU time of Clockwork and PyInfra (the CLI and everything it waited for). */
interface Cost {
  wallMs: number;
  clientCpu: number;
  sshdCpu: number;
}

/** Runs `command` in `dir`; its cost, and its stdout. */
async function measured(fleet: SshFleet, command: string[], dir: string): Promise<Cost & { stdout: string }> {
  const sshdBefore = fleet.sshdCpuSeconds();
  const started = performance.now();
  // The shell waits for the command (the CLI waits for PyInfra): its children's CPU time is theirs.
  const line = command.map((word) => `'${word}'`).join(' ');
  const run = await execa('sh', ['-c', `${line}; status=$?; cat /proc/$$/stat >&2; exit $status`], { cwd: dir, reject: false, timeout: 600_000 });
  const wallMs = performance.now() - started;
  if (run.exitCode !== 0) throw new Error(`${command.join(' ')} failed (exit ${run.exitCode}):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  const stat = run.stderr.trim().split('\n').at(-1)?.split(') ')[1]?.split(' ') ?? [];
  const clientCpu = (Number(stat[13] ?? 0) + Number(stat[14] ?? 0)) / 100;
  return { wallMs, clientCpu, sshdCpu: fleet.sshdCpuSeconds() - sshdBefore, stdout: run.stdout };
}

/** `clockwork ARGS --json` in `dir`, checking it reported `expectedResults` results. */
async function timed(fleet: SshFleet, args: string[], dir: string, expectedResults: number): Promise<Cost> {
  const run = await measured(fleet, [process.execPath, path.join(repoRoot, 'dist/cli.cjs'), ...args, '--json'], dir);
  const results = (JSON.parse(run.stdout) as { results: unknown[] }).results.length;
  if (results !== expectedResults) throw new Error(`clockwork ${args.join(' ')}: ${results} results, expected ${expectedResults}`);
  return run;
}

/**
 * PyInfra alone, in the same run: the deploy.py Clockwork wrote for `dir`, on fresh paths (so
 * it creates as much as apply did), and one command per host, the floor of any assert.
 */
async function baselines(fleet: SshFleet, dir: string, folder: string): Promise<{ pyinfraApply: Cost; oneCommand: Cost }> {
  const programs = path.join(dir, '.clockwork', 'pyinfra');
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-fleet-bare-'));
  try {
    fs.cpSync(programs, bare, { recursive: true });
    const deploy = path.join(bare, 'deploy.py');
    fs.writeFileSync(deploy, fs.readFileSync(deploy, 'utf8').replaceAll(`/srv/bench/${folder}/`, `/srv/bench/${folder}-bare/`).replaceAll(`/srv/bench/${folder}'`, `/srv/bench/${folder}-bare'`));
    const pyinfraApply = await measured(fleet, ['pyinfra', '-y', 'inventory.py', 'deploy.py'], bare);
    const oneCommand = await measured(fleet, ['pyinfra', '-y', 'inventory.py', 'exec', '--', 'true'], bare);
    return { pyinfraApply, oneCommand };
  } finally {
    fs.rmSync(bare, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reps: { type: 'string', default: '1' }, sizes: { type: 'string', default: '1,5,20' } } });
  const reps = Math.max(1, Number(values.reps));
  const sizes = values.sizes.split(',').map(Number);
  const reason = sshHostsUnavailable();
  if (reason) {
    console.log(`bench:fleet skipped: ${reason}`);
    return;
  }
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { stdio: 'inherit' });
  const fleet = await SshFleet.start(Math.max(...sizes));
  const dirs: string[] = [];
  try {
    const figures = new Map<number, { apply: Cost; assert: Cost; pyinfraApply: Cost; oneCommand: Cost }>();
    const mid = (costs: Cost[]): Cost => {
      const byWall = [...costs].sort((a, b) => a.wallMs - b.wallMs);
      return byWall[Math.floor(byWall.length / 2)] as Cost;
    };
    const show = (cost: Cost): string => `${(cost.wallMs / 1000).toFixed(2)} s (CPU: Clockwork + PyInfra ${cost.clientCpu.toFixed(1)} s, the hosts' sshd ${cost.sshdCpu.toFixed(1)} s)`;
    for (const size of sizes) {
      const applyCosts: Cost[] = [];
      const assertCosts: Cost[] = [];
      const pyinfraCosts: Cost[] = [];
      const commandCosts: Cost[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const folder = `${size}-${rep}`;
        const dir = project(fleet, size, folder);
        dirs.push(dir);
        applyCosts.push(await timed(fleet, ['apply'], dir, RESOURCES * size));
        assertCosts.push(await timed(fleet, ['assert'], dir, RESOURCES * 2 * size));
        const { pyinfraApply, oneCommand } = await baselines(fleet, dir, folder);
        pyinfraCosts.push(pyinfraApply);
        commandCosts.push(oneCommand);
      }
      figures.set(size, { apply: mid(applyCosts), assert: mid(assertCosts), pyinfraApply: mid(pyinfraCosts), oneCommand: mid(commandCosts) });
      console.log(`${String(size).padStart(2)} host(s): apply ${show(mid(applyCosts))}`);
      console.log(`            assert ${show(mid(assertCosts))}`);
      console.log(`            baseline: PyInfra alone, the same deploy.py ${show(mid(pyinfraCosts))}`);
      console.log(`            baseline: one command per host (pyinfra exec -- true) ${show(mid(commandCosts))}`);
    }
    const one = figures.get(Math.min(...sizes));
    const most = figures.get(Math.max(...sizes));
    if (one && most && sizes.length > 1) {
      const ratio = (a: Cost, b: Cost): string => (a.wallMs / b.wallMs).toFixed(2);
      console.log(`ratio ${Math.max(...sizes)} hosts / ${Math.min(...sizes)} host: apply ${ratio(most.apply, one.apply)}, assert ${ratio(most.assert, one.assert)} (goal ≤ 1.5)`);
      console.log(
        `the same ratio for the baselines on these hosts: PyInfra alone with the same deploy.py ${ratio(most.pyinfraApply, one.pyinfraApply)}, one command per host ${ratio(most.oneCommand, one.oneCommand)}`,
      );
      console.log(
        `(all hosts share this machine's ${os.cpus().length} cores: ${Math.max(...sizes)} hosts' sshd used ${most.apply.sshdCpu.toFixed(1)} s of CPU in apply, ${most.assert.sshdCpu.toFixed(1)} s in assert)`,
      );
      // On a real fleet each host's work runs on its own CPU. Here it queues for these cores: at
      // least (the hosts' CPU time) / (cores) of each wall time is that queue, which one host
      // alone barely pays. Set apart, what is left is Clockwork's and PyInfra's own scaling.
      const cores = os.cpus().length;
      const own = (cost: Cost): number => Math.max(cost.wallMs / 1000 - cost.sshdCpu / cores, 0.001);
      const ownRatio = (a: Cost, b: Cost): string => (own(a) / own(b)).toFixed(2);
      console.log(
        `estimate without the hosts' CPU queue (wall − hosts' CPU / ${cores} cores): apply ${ownRatio(most.apply, one.apply)}, assert ${ownRatio(most.assert, one.assert)}`,
      );
    }
  } finally {
    await fleet.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
