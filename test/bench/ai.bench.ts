/**
 * AI generation benchmark (prints figures; not a timed test). 20 FileResources that need
 * the AI, against the loopback OpenAI-compatible server with a fixed latency L, through the
 * real openai SDK:
 *   - wall time as a multiple of L at concurrency 20 (goal ≤ 1.3) and at the default 4,
 *   - the same against a baseline measured in this run: one resource alone,
 *   - requests on a second, unchanged run (goal 0).
 * Run: npm run bench:ai
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateProject } from '../../server/src/pipeline/ai/generate.js';
import { aiFile, aiSettings, projectOf } from '../support/aiProject.js';
import { execaNode } from 'execa';
import OpenAI from 'openai';

const LATENCY_MS = 300;
const RESOURCES = 20;
const KEY = 'sk-bench-0123456789';

// The server runs in its own process, so its work does not share Clockwork's event loop.
const serverProcess = execaNode(path.join(import.meta.dirname, 'fakeOpenAIProcess.ts'), [KEY, String(LATENCY_MS)], {
  nodeOptions: ['--import', 'tsx'],
  stdin: 'pipe',
  stdout: 'pipe',
  stderr: 'inherit',
});
const baseUrl = await new Promise<string>((resolve, reject) => {
  serverProcess.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
  serverProcess.catch(reject);
});

/** The server's request count and peak concurrency since the last call. */
async function serverStats(): Promise<{ requests: number; maxInFlight: number }> {
  const response = await fetch(`${baseUrl}/_stats`);
  return (await response.json()) as { requests: number; maxInFlight: number };
}
const dirs: string[] = [];

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-ai-bench-'));
  dirs.push(dir);
  return dir;
}

async function timeRun(dir: string, count: number, concurrency: number): Promise<{ ms: number; requests: number; peak: number }> {
  const project = projectOf(dir, Array.from({ length: count }, (_, index) => aiFile(`file${index}.md`, `Benchmark file number ${index}`)));
  const settings = aiSettings(dir, baseUrl, KEY, { CLOCKWORK_AI_CONCURRENCY: String(concurrency) });
  await serverStats();
  const started = performance.now();
  const result = await generateProject({ project, settings });
  const ms = performance.now() - started;
  const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length > 0) throw new Error(`benchmark generation failed: ${failed[0]?.error}`);
  const stats = await serverStats();
  return { ms, requests: stats.requests, peak: stats.maxInFlight };
}

/** The median of `runs` timings of a fresh project (each run in its own folder: nothing cached). */
async function median(runs: number, count: number, concurrency: number): Promise<{ ms: number; peak: number }> {
  const timings: number[] = [];
  let peak = 0;
  for (let index = 0; index < runs; index += 1) {
    const run = await timeRun(freshDir(), count, concurrency);
    timings.push(run.ms);
    peak = Math.max(peak, run.peak);
  }
  return { ms: timings.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0, peak };
}

/** The median time of `count` requests sent at once straight through the SDK: no Clockwork at all. */
async function bareSdk(runs: number, count: number): Promise<number> {
  const client = new OpenAI({ baseURL: baseUrl, apiKey: KEY, logLevel: 'off' });
  const timings: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, n) =>
        client.chat.completions.create({ model: 'test/model-1', messages: [{ role: 'user', content: `Benchmark file number ${n}` }], max_tokens: 2000 }),
      ),
    );
    timings.push(performance.now() - started);
  }
  await serverStats();
  return timings.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
}

try {
  // Warm-up (module loading, JIT, connections): not measured.
  await timeRun(freshDir(), RESOURCES, RESOURCES);
  await timeRun(freshDir(), 1, 1);
  const single = await median(5, 1, 1);
  await bareSdk(1, RESOURCES);
  const bare = await bareSdk(5, RESOURCES);
  const wide = await median(5, RESOURCES, RESOURCES);
  const defaultRun = await median(5, RESOURCES, 4);
  const wideDir = freshDir();
  await timeRun(wideDir, RESOURCES, RESOURCES);
  const rerun = await timeRun(wideDir, RESOURCES, RESOURCES);
  const peakWide = wide.peak;
  const peakDefault = defaultRun.peak;

  const row = (label: string, ms: number): string =>
    `${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / LATENCY_MS).toFixed(2).padStart(5)} × L  ${(ms / single.ms).toFixed(2).padStart(5)} × one request`;
  console.log(`AI generation benchmark: ${RESOURCES} FileResources, loopback endpoint (own process) latency L = ${LATENCY_MS} ms, real openai SDK, median of 5`);
  console.log(row('baseline: 1 resource alone', single.ms));
  console.log(`${row(`bare SDK: ${RESOURCES} requests at once`, bare)}   (no Clockwork: the floor on this machine)`);
  console.log(`${row(`${RESOURCES} resources, concurrency ${RESOURCES}`, wide.ms)}   (peak in flight ${peakWide}; goal ≤ 1.3 × L)`);
  console.log(`${row(`${RESOURCES} resources, default concurrency 4`, defaultRun.ms)}   (peak in flight ${peakDefault}; ideal ${Math.ceil(RESOURCES / 4)} × L)`);
  console.log(`Clockwork's own overhead at concurrency ${RESOURCES}: ${(wide.ms - bare).toFixed(0)} ms over the bare SDK (${(((wide.ms - bare) / bare) * 100).toFixed(0)} %)`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)} (other work inflates the ratios)`);
  console.log(`second, unchanged run: ${rerun.requests} AI request(s) in ${rerun.ms.toFixed(0)} ms (goal 0)`);
} finally {
  serverProcess.stdin.end();
  await serverProcess.catch(() => undefined);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}
