/**
 * Item 5 of the hardening issue: the API key never shows.
 *
 * Every CLI command that can touch the AI (plan, generate, apply, assert, destroy) runs with a
 * recognisable fake key — from the environment, from `--api-key`, and from `.env` — at
 * LOG_LEVEL=DEBUG and `--verbose`, against the loopback OpenAI-compatible server: answering,
 * refusing the key with a 401 that echoes it back (as real endpoints do), rate limiting, and
 * down. The language server runs the same commands through `clockwork/run` with the key in
 * its environment (as the VS Code client passes it). Then every file under `.clockwork/`, the
 * CLI's stdout and stderr, and the server's stderr, log messages, notifications and replies
 * are searched for the key and for a 12-character piece of it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, LogMessageNotification } from 'vscode-languageserver-protocol/node';
import { RunRequest, type RunCommand } from '../../server/src/protocol.js';
import { runCli } from '../support/cli.js';
import { FakeOpenAI } from '../support/fakeOpenAI.js';
import { startLanguageServer } from '../support/lspClient.js';
import { findPyinfra } from '../support/pyinfra.js';

/** The recognisable fake key. */
export const CANARY_KEY = 'sk-cwcanary-7f3a9b2c4d5e6f708192a3b4c5d6e7f8';
const PIECES = [CANARY_KEY, CANARY_KEY.slice(12, 24), CANARY_KEY.slice(-12)];

/** The figures. */
export interface SecretsFigures {
  /** CLI runs and language-server runs made with the key. */
  cliRuns: number;
  serverRuns: number;
  /** Bytes searched (outputs, logs, files). */
  bytesSearched: number;
  filesSearched: number;
  /** Places the key (or a piece of it) was found; goal 0. */
  occurrences: number;
  failures: string[];
}

type Endpoint = 'answers' | '401' | '429' | 'down';
type KeySource = 'env' | 'flag' | 'dotenv';

const PROJECT = `import { FileResource, FileExistsAssert } from 'clockwork';

export default [
  new FileResource({ name: 'essay.md', description: 'An essay about gears', directory: 'out', assertions: [new FileExistsAssert({ path: 'out/essay.md', timeoutSeconds: 0.2 })] }),
  new FileResource({ name: 'given.txt', content: 'given', directory: 'out', assertions: [new FileExistsAssert({ path: 'out/given.txt', timeoutSeconds: 0.2 })] }),
];
`;

/** Runs the search over the scenarios; `full` runs every endpoint × key source, else three. */
export async function runSecrets(options: { full: boolean }): Promise<SecretsFigures> {
  const figures: SecretsFigures = { cliRuns: 0, serverRuns: 0, bytesSearched: 0, filesSearched: 0, occurrences: 0, failures: [] };
  const search = (where: string, text: string): void => {
    figures.bytesSearched += Buffer.byteLength(text);
    for (const piece of PIECES) {
      if (text.includes(piece)) {
        figures.occurrences += 1;
        const at = text.indexOf(piece);
        if (figures.failures.length < 20) figures.failures.push(`${where}: …${text.slice(Math.max(0, at - 120), at + 60).replaceAll('\n', '⏎')}…`);
        return;
      }
    }
  };
  const searchTree = (dir: string): void => {
    const root = path.join(dir, '.clockwork');
    if (!fs.existsSync(root)) return;
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      figures.filesSearched += 1;
      search(file, fs.readFileSync(file).toString('latin1'));
    }
  };
  const good = await FakeOpenAI.start(CANARY_KEY);
  const refusing = await FakeOpenAI.start('sk-some-other-key-0000');
  good.script((request) => ({ content: `# Gears\n\nAn essay for ${request.body.model}.` }));
  refusing.script(() => ({ content: 'never' }));
  const limiter = await FakeOpenAI.start(CANARY_KEY);
  limiter.script(() => ({ status: 429, error: 'slow down', headers: { 'retry-after-ms': '5' } }));
  const urls: Record<Endpoint, string> = { answers: good.url, '401': refusing.url, '429': limiter.url, down: 'http://127.0.0.1:9/v1' };
  const pyinfra = findPyinfra();
  const dirs: string[] = [];
  try {
    const scenarios: [Endpoint, KeySource][] = options.full
      ? (['answers', '401', '429', 'down'] as Endpoint[]).flatMap((endpoint) => (['env', 'flag', 'dotenv'] as KeySource[]).map((source): [Endpoint, KeySource] => [endpoint, source]))
      : [['answers', 'env'], ['401', 'flag'], ['down', 'dotenv']];
    for (const [endpoint, source] of scenarios) {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-secrets-')));
      dirs.push(dir);
      fs.writeFileSync(path.join(dir, 'clockwork.ts'), PROJECT);
      if (source === 'dotenv') fs.writeFileSync(path.join(dir, '.env'), `OPENROUTER_API_KEY=${CANARY_KEY}\n`);
      const env: Record<string, string | undefined> = {
        OPENROUTER_BASE_URL: urls[endpoint],
        LOG_LEVEL: 'DEBUG',
        CLOCKWORK_AI_TIMEOUT: '5',
        PYINFRA_PATH: pyinfra ?? '/nonexistent/pyinfra',
        ...(source === 'env' ? { OPENROUTER_API_KEY: CANARY_KEY } : {}),
      };
      const flag = source === 'flag' ? ['--api-key', CANARY_KEY] : [];
      const commands: string[][] = options.full
        ? [['plan'], ['generate', '--force', ...flag], ['apply', '--verbose', ...flag], ['apply', '--json', ...flag], ['assert', '--json'], ['assert', '--verbose'], ['destroy', '--verbose'], ['plan', '--json']]
        : [['plan', '--json'], ['generate', '--force', ...flag], ['apply', '--verbose', ...flag], ['assert', '--verbose'], ['destroy', '--verbose']];
      for (const args of commands) {
        const begin = performance.now();
        const run = await runCli(args, { cwd: dir, env });
        if (process.env['HARDENING_TRACE']) console.error(endpoint, source, args.join(' '), Math.round(performance.now() - begin), run.exitCode);
        figures.cliRuns += 1;
        search(`clockwork ${args.join(' ')} [${endpoint}, key from ${source}] stdout`, run.stdout);
        search(`clockwork ${args.join(' ')} [${endpoint}, key from ${source}] stderr`, run.stderr);
      }
      searchTree(dir);
    }

    // The language server, with the key in its environment as the VS Code client passes it.
    for (const endpoint of options.full ? (['answers', '401', 'down'] as Endpoint[]) : (['answers', '401'] as Endpoint[])) {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-secrets-ls-')));
      dirs.push(dir);
      fs.writeFileSync(path.join(dir, 'clockwork.ts'), PROJECT);
      const session = await startLanguageServer({ env: { OPENROUTER_API_KEY: CANARY_KEY, LOG_LEVEL: 'DEBUG' } });
      let log = '';
      session.connection.onNotification(LogMessageNotification.type, (params) => {
        log += `${params.message}\n`;
      });
      session.connection.onUnhandledNotification((message) => {
        log += `${JSON.stringify(message)}\n`;
      });
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: pathToFileURL(path.join(dir, 'clockwork.ts')).href, languageId: 'typescript', version: 1, text: PROJECT },
      });
      const settings = { baseUrl: urls[endpoint], logLevel: 'DEBUG', ...(pyinfra ? { pyinfraPath: pyinfra } : {}) };
      for (const command of ['plan', 'generate', 'apply', 'assert', 'destroy'] as RunCommand[]) {
        const reply = await session.connection
          .sendRequest(RunRequest, { command, runId: `secrets-${command}`, folderUri: pathToFileURL(dir).href, trusted: true, settings, ...(command === 'generate' ? { force: true } : {}) })
          .catch((error: unknown) => ({ requestError: String(error) }));
        figures.serverRuns += 1;
        search(`language server clockwork/run ${command} [${endpoint}] reply`, JSON.stringify(reply));
      }
      await session.stop();
      search(`language server [${endpoint}] log messages and notifications`, log);
      search(`language server [${endpoint}] stderr`, session.stderr());
      searchTree(dir);
    }
  } finally {
    await Promise.all([good.close(), refusing.close(), limiter.close()]);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
  // The searches must have had something to find in: the 401 endpoint got the key, and the
  // answering endpoint was used.
  if (!refusing.requests.some((request) => request.authorization?.includes(CANARY_KEY))) figures.failures.push('the 401 endpoint never received the key: the search proves nothing');
  return figures;
}
