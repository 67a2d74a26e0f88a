/**
 * Item 4 of the hardening issue: idempotence and cancellation, with PyInfra for real.
 *
 * - Apply twice: the second run reports every resource unchanged.
 * - Cancel an apply during deploy, (a) by SIGINT to the CLI (Ctrl-C) and (b) through the
 *   pipeline's AbortSignal (what the editor's Cancel uses). The deploy is slow for real: many
 *   file resources, each a few PyInfra operations with their fact-gathering commands. The
 *   process tree under the run is read from /proc when the cancel is sent and polled until
 *   every process of it is gone; the time is the figure (goal ≤ 2 s). Then: no lock left,
 *   every resource the state lists as created holds its content, and the next apply completes.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apply } from '../../server/src/pipeline/apply.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { findPyinfra } from '../support/pyinfra.js';
import { repoRoot } from '../support/tempProject.js';

/** The figures of the run. */
export interface CancellationFigures {
  skipped?: string;
  files: number;
  /** Second apply: resources reported changed (goal 0). */
  secondApplyChanged: number;
  cli: CancelFigures;
  signal: CancelFigures;
  /** The apply after both cancels succeeded, with every file in place. */
  nextApplyOk: boolean;
  failures: string[];
}

/** What one cancel did. */
export interface CancelFigures {
  /** Processes under the run when the cancel was sent (pyinfra and its commands). */
  treeSize: number;
  /** Milliseconds from the cancel until every one of them was gone (goal ≤ 2,000). */
  treeGoneMs: number;
  lockLeft: boolean;
  /** State records whose file is missing or differs. */
  stateInconsistent: number;
  recorded: number;
  /** Files on disk that the state does not list (destroy would miss them). */
  unrecorded: number;
  /** Milliseconds from SIGINT until the CLI itself exited (CLI only). */
  cliExitMs?: number;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  cmd: string;
}

function processes(): ProcInfo[] {
  const list: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const [state, ppid] = stat.slice(close + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      list.push({ pid: Number(entry), ppid: Number(ppid), state: state ?? '', cmd });
    } catch {
      // Gone meanwhile.
    }
  }
  return list;
}

/** The live (non-zombie) descendants of `root`, or of any pid in `known`. */
function descendants(root: number, known: Set<number> = new Set()): Set<number> {
  const all = processes().filter((p) => p.state !== 'Z');
  const found = new Set<number>();
  const alive = new Set(all.map((p) => p.pid));
  for (const pid of known) if (alive.has(pid)) found.add(pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && (p.ppid === root || found.has(p.ppid))) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return found;
}

/** The pyinfra process under `root` and everything under it (empty when there is none). */
function pyinfraTree(root: number): Set<number> {
  const tree = descendants(root);
  const pyinfra = processes().find((p) => tree.has(p.pid) && /\bpyinfra\b/.test(p.cmd) && !/\bnode\b/.test(p.cmd));
  return pyinfra ? new Set([pyinfra.pid, ...descendants(pyinfra.pid)]) : new Set();
}

/**
 * Waits until a pyinfra process runs under `root` and the deploy has really begun: at least
 * a file of this run (`variant`) beyond the recorded ones is on disk. Then it is cancelled mid-deploy.
 */
async function waitForDeploy(root: number, dir: string, variant: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // f12: past the five files the idempotence check recorded, so the cancelled run has created files of its own.
  const watched = path.join(dir, 'out/d2/f12.txt');
  const written = (): boolean => {
    try {
      return fs.readFileSync(watched, 'utf8') === `file 12 ${variant}\n`;
    } catch {
      return false;
    }
  };
  while (Date.now() < deadline) {
    if (pyinfraTree(root).size > 0 && written()) return true;
    await sleep(20);
  }
  return false;
}

/** Polls until every pid of `tree` (and anything they started meanwhile) is gone; returns the ms. */
async function timeUntilGone(tree: Set<number>, since: number, limitMs = 20_000): Promise<number> {
  let known = new Set(tree);
  while (performance.now() - since < limitMs) {
    known = descendants(-1, known);
    if (known.size === 0) return performance.now() - since;
    await sleep(5);
  }
  return Number.POSITIVE_INFINITY;
}

function projectSource(files: number, variant: string): string {
  const lines = Array.from({ length: files }, (_, index) => `  new FileResource({ name: 'f${index}.txt', directory: 'out/d${index % 10}', content: ${JSON.stringify(`file ${index} ${variant}\n`)} }),`);
  return `import { FileResource } from 'clockwork';\n\nexport default [\n${lines.join('\n')}\n];\n`;
}

function check(dir: string, figures: CancelFigures): void {
  figures.lockLeft = fs.existsSync(path.join(dir, '.clockwork/lock'));
  const stateFile = path.join(dir, '.clockwork/state.json');
  const records = fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { resources: { identity: { id: string }; failed?: boolean }[] }).resources : [];
  figures.recorded = records.filter((record) => !record.failed).length;
  figures.stateInconsistent = records.filter((record) => !record.failed && !fs.existsSync(record.identity.id)).length;
  const listed = new Set(records.map((record) => record.identity.id));
  const out = path.join(dir, 'out');
  const onDisk = fs.existsSync(out) ? fs.readdirSync(out).flatMap((sub) => fs.readdirSync(path.join(out, sub)).map((name) => path.join(out, sub, name))) : [];
  figures.unrecorded = onDisk.filter((file) => !listed.has(file)).length;
}

/** Runs idempotence and both cancellations on a project of `files` file resources. */
export async function runCancellation(options: { files: number }): Promise<CancellationFigures> {
  const empty = (): CancelFigures => ({ treeSize: 0, treeGoneMs: Number.NaN, lockLeft: false, stateInconsistent: 0, recorded: 0, unrecorded: 0 });
  const figures: CancellationFigures = { files: options.files, secondApplyChanged: Number.NaN, cli: empty(), signal: empty(), nextApplyOk: false, failures: [] };
  const pyinfra = findPyinfra();
  if (!pyinfra) return { ...figures, skipped: 'pyinfra is not installed (not on PATH)' };
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-cancel-')));
  const settings = resolveSettings({ projectDir: dir, environment: { PYINFRA_PATH: pyinfra } });
  try {
    // Idempotence, on a small project.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), projectSource(5, 'v1'));
    const first = await apply({ settings });
    if (!first.ok) figures.failures.push(`first apply failed: ${first.error ?? JSON.stringify(first.results)}`);
    const second = await apply({ settings });
    figures.secondApplyChanged = second.results.filter((result) => result.status !== 'unchanged').length;
    if (!second.ok) figures.failures.push(`second apply failed: ${second.error ?? ''}`);

    // (a) SIGINT to the CLI during deploy.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), projectSource(options.files, 'v2'));
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli.cjs'), 'apply', '--verbose'], {
      cwd: dir,
      env: { ...process.env, PYINFRA_PATH: pyinfra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    if (await waitForDeploy(child.pid!, dir, 'v2', 120_000)) {
      const tree = pyinfraTree(child.pid!);
      figures.cli.treeSize = tree.size;
      const sent = performance.now();
      child.kill('SIGINT');
      figures.cli.treeGoneMs = await timeUntilGone(tree, sent);
      const code = await exited;
      figures.cli.cliExitMs = performance.now() - sent;
      if (code === 0) figures.failures.push('the cancelled CLI apply exited 0');
    } else {
      figures.failures.push(`the CLI's deploy never began writing files: ${output.slice(-500)}`);
      child.kill('SIGKILL');
      await exited;
    }
    check(dir, figures.cli);

    // (b) The pipeline's AbortSignal, as the editor's Cancel uses it.
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), projectSource(options.files, 'v3'));
    const controller = new AbortController();
    const running = apply({ settings, signal: controller.signal });
    if (await waitForDeploy(process.pid, dir, 'v3', 120_000)) {
      const tree = pyinfraTree(process.pid);
      figures.signal.treeSize = tree.size;
      const sent = performance.now();
      controller.abort();
      figures.signal.treeGoneMs = await timeUntilGone(tree, sent);
      const result = await running;
      if (!result.cancelled) figures.failures.push('the aborted apply did not report cancelled');
    } else {
      figures.failures.push("apply()'s deploy never began writing files");
      await running.catch(() => undefined);
    }
    check(dir, figures.signal);

    // The next apply completes.
    const next = await apply({ settings });
    const contents = Array.from({ length: options.files }, (_, index) =>
      fs.readFileSync(path.join(dir, `out/d${index % 10}/f${index}.txt`), 'utf8') === `file ${index} v3\n`,
    );
    figures.nextApplyOk = next.ok && contents.every(Boolean);
    if (!figures.nextApplyOk) figures.failures.push(`the next apply: ok=${next.ok} ${next.error ?? ''}; files right: ${contents.filter(Boolean).length}/${options.files}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
