/**
 * Runs `pyinfra -y INVENTORY PROGRAM` with execa: output streamed line by line, results read
 * from the JSON lines the generated program writes (see RESULTS_MODULE in codegen/pyinfra.ts),
 * and cancellation that ends the whole process tree.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { RESULTS_ENV, WAIT_FOR_GO_ENV } from '../../codegen/pyinfra.js';
import type { Prior } from '../../model/operations.js';

/** One operation's result on one host, as the generated program recorded it. */
export interface OperationRecord {
  names: string[];
  executed: boolean;
  /** The host's connection was gone when it was to start: nothing of it ran there. */
  lost?: boolean;
  success?: boolean;
  changed?: boolean;
  stdout?: string;
  stderr?: string;
  /** What PyInfra logged (warning or worse) while it ran, e.g. why an upload failed. */
  errors?: string[];
  /** True when PyInfra stopped on the host while this operation ran (it did not finish). */
  interrupted?: boolean;
  /** Set when it was skipped: the name of the operation it waited for, which failed or was skipped. */
  skipped_after?: string;
  /** Set when it failed before running anything on the host (PyInfra refused it). */
  untouched?: boolean;
}

/** One host's results. */
export interface HostRecord {
  host: string;
  failed: boolean;
  /** PyInfra could not connect to it. */
  unreachable?: boolean;
  operations: OperationRecord[];
  /** The facts resources asked about before the run, by resource (`Kind name`) and probe. */
  prior?: Record<string, Prior>;
}

/** What a PyInfra run produced. */
export interface PyinfraRun {
  exitCode: number | undefined;
  /** True when the run was cancelled through the signal. */
  cancelled: boolean;
  hosts: HostRecord[];
  /** The last lines PyInfra printed (for error messages when it failed before any operation). */
  outputTail: string[];
  /** The last lines PyInfra printed about each host (`[name] …`), ANSI colours removed: why it failed to connect. */
  hostLines: Map<string, string[]>;
  durationMs: number;
}

/** Options for `runPyinfra`. */
export interface RunPyinfraOptions {
  pyinfra: string;
  /** The folder holding the program (PyInfra runs there). */
  cwd: string;
  /** The inventory file (absolute, or relative to cwd). */
  inventory: string;
  /** The program file name, e.g. `deploy.py`. */
  program: string;
  /** Only these hosts of the inventory (PyInfra's --limit); all when undefined. */
  limit?: readonly string[];
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
  /** How long after a cancellation the process tree is killed for good (default 3 s). */
  forceKillAfterMs?: number;
}

const TAIL_LINES = 40;
const HOST_LINES = 4;
const MAX_HOSTS_WATCHED = 10_000;
const ANSI = /\u001b\[[0-9;]*m/g;
const HOST_LINE = /^\s*\[([^\]\s]+)\]\s+(.*\S)\s*$/;

/** Runs PyInfra and collects its per-operation results. */
export async function runPyinfra(options: RunPyinfraOptions): Promise<PyinfraRun> {
  return launch(options, false).finished;
}

/**
 * PyInfra started ahead of its program's compile: it loads Python, the inventory and its
 * connections, then waits before preparing any operation (the generated program's first line
 * waits for "go", see RESULTS_MODULE). Its output is held back until `go`.
 */
export interface PausedPyinfra {
  /** Runs the program as it is on disk now; resolves with the run. */
  go(): Promise<PyinfraRun>;
  /** Ends it: it prepared no operation, so nothing ran. */
  stop(): Promise<void>;
}

/** Starts PyInfra paused (see PausedPyinfra). */
export function startPyinfraPaused(options: RunPyinfraOptions): PausedPyinfra {
  const launched = launch(options, true);
  return {
    go: () => {
      launched.release();
      return launched.finished;
    },
    stop: async () => {
      launched.stop();
      await launched.finished;
    },
  };
}

function launch(options: RunPyinfraOptions, paused: boolean): { finished: Promise<PyinfraRun>; release: () => void; stop: () => void } {
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-results-'));
  const resultsFile = path.join(resultsDir, `${crypto.randomUUID()}.jsonl`);
  const tail: string[] = [];
  const hostLines = new Map<string, string[]>();
  // Held back while paused: a run stopped before "go" shows nothing.
  let output: 'held' | 'shown' | 'dropped' = paused ? 'held' : 'shown';
  const held: string[] = [];
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    const tagged = HOST_LINE.exec(line.replace(ANSI, ''));
    if (tagged?.[1] && tagged[2] && (hostLines.has(tagged[1]) || hostLines.size < MAX_HOSTS_WATCHED)) {
      const lines = hostLines.get(tagged[1]) ?? [];
      lines.push(tagged[2]);
      if (lines.length > HOST_LINES) lines.shift();
      hostLines.set(tagged[1], lines);
    }
    if (output === 'held') held.push(line);
    else if (output === 'shown') options.onOutput?.(line);
  };
  const sink = function* (line: unknown): Generator<never> {
    onLine(String(line));
  };
  const started = performance.now();
  const forceKillAfterMs = options.forceKillAfterMs ?? 3000;
  const limit = (options.limit ?? []).flatMap((host) => ['--limit', host]);
  const child = execa(options.pyinfra, ['-y', ...limit, options.inventory, options.program], {
    cwd: options.cwd,
    env: { [RESULTS_ENV]: resultsFile, PYTHONUNBUFFERED: '1', ...(paused ? { [WAIT_FOR_GO_ENV]: '1' } : {}) },
    stdin: paused ? 'pipe' : 'ignore',
    stdout: ['pipe', { transform: sink }],
    stderr: ['pipe', { transform: sink }],
    reject: false,
    // Its own process group, so cancelling reaches the commands PyInfra started, too.
    detached: true,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    forceKillAfterDelay: forceKillAfterMs,
  });
  // A paused PyInfra that ended before "go" (its stdin closed) must not crash this process.
  child.stdin?.on('error', () => undefined);
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let forceTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    killGroup('SIGTERM');
    forceTimer = setTimeout(() => killGroup('SIGKILL'), forceKillAfterMs);
    forceTimer.unref();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const finished = (async (): Promise<PyinfraRun> => {
    try {
      const result = await child;
      if (result.isCanceled || options.signal?.aborted) {
        // Commands PyInfra started may outlive it: end the rest of the group at once.
        killGroup('SIGKILL');
      }
      return {
        exitCode: result.exitCode,
        cancelled: Boolean(result.isCanceled || options.signal?.aborted),
        hosts: readResults(resultsFile),
        outputTail: tail,
        hostLines,
        durationMs: performance.now() - started,
      };
    } finally {
      if (forceTimer) clearTimeout(forceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      fs.rmSync(resultsDir, { recursive: true, force: true });
    }
  })();
  return {
    finished,
    release: () => {
      output = 'shown';
      for (const line of held.splice(0)) options.onOutput?.(line);
      child.stdin?.end('go\n');
    },
    stop: () => {
      output = 'dropped';
      child.stdin?.end();
      killGroup('SIGKILL');
    },
  };
}

function readResults(file: string): HostRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HostRecord);
}
