/**
 * Runs the loopback OpenAI-compatible test server in its own process, so a benchmark times
 * Clockwork's side alone. Usage: tsx fakeOpenAIProcess.ts API_KEY LATENCY_MS. Prints the
 * base URL on its first line; `GET <url>/_stats` returns and resets the request counts.
 */
import { FakeOpenAI } from '../support/fakeOpenAI.js';

const [apiKey = 'sk-bench', latency = '300'] = process.argv.slice(2);
const server = await FakeOpenAI.start(apiKey);
server.script(() => ({ content: 'Generated text for the benchmark.\n', latencyMs: Number(latency) }));
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
