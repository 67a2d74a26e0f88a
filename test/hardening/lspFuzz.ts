/**
 * Item 1 of the hardening issue: fuzzing the language server over a real stdio connection.
 *
 * Mutates the examples and a clockwork.ts generated from every registered resource and
 * assertion (token delete / duplicate / swap, cuts, unbalanced brackets and quotes, huge
 * literals, deep nesting, non-ASCII), sends each mutation as incremental edits, and drives
 * every provider: diagnostics, completion and hover at random positions, document symbols,
 * CodeLens, code actions (with the diagnostics the server published) and the custom
 * `clockwork/documentModel` request. Every tenth document is also opened fresh, and its
 * document model must equal the one the incremental edits produced.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ErrorCodes,
  HoverRequest,
  LogMessageNotification,
  MessageType,
  ResponseError,
  type Diagnostic,
  type Position,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { assertionDefinitions, resourceDefinitions } from '../../server/src/model/registry.js';
import { DocumentModelRequest } from '../../server/src/protocol.js';
import { startLanguageServer, type LspSession } from '../support/lspClient.js';
import { repoRoot } from '../support/tempProject.js';
import { Random } from './random.js';

/** The figures of one fuzzing run. */
export interface LspFuzzFigures {
  seed: number;
  documents: number;
  requests: number;
  /** Server exits plus requests answered with an error (InternalError or other) or not at all. */
  crashes: number;
  /** Handler exceptions the server caught and logged (answered with an empty result). */
  handlerErrors: number;
  /** Fresh parses whose document model differed from the incrementally edited one. */
  incrementalMismatches: number;
  slowestMs: number;
  slowestWhat: string;
  /** The machine's 1-minute load average when the slowest reply came (replies queue behind other processes on a loaded machine). */
  slowestLoad: number;
  /** Completion replies: how many, and their 50th and 99th percentile latency (ms, from request to reply). */
  completions: { count: number; p50Ms: number; p99Ms: number };
  durationMs: number;
  /** Descriptions of the first failures, with the file holding the document. */
  failures: string[];
}

/** Options of a fuzzing run. */
export interface LspFuzzOptions {
  documents: number;
  seed: number;
  /** Documents driven concurrently, each on its own URI. */
  lanes?: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** The documents mutations start from: both examples and one generated from the registry. */
export function fuzzBases(): string[] {
  const examples = ['file-generation', 'docker-service'].map((name) =>
    fs.readFileSync(path.join(repoRoot, 'examples', name, 'clockwork.ts'), 'utf8'),
  );
  return [...examples, generatedDocument()];
}

/** A clockwork.ts using every resource example, each carrying every assertion example. */
function generatedDocument(): string {
  const kinds = [...resourceDefinitions, ...assertionDefinitions].map((definition) => definition.kind);
  const assertions = assertionDefinitions.map((definition) => `      ${definition.example.replace(/\n/g, '\n      ')},`).join('\n');
  const resources = resourceDefinitions.map((definition) =>
    definition.example.replace(/,?\s*\}\)\s*$/, `,\n  assertions: [\n${assertions}\n  ],\n})`),
  );
  return `import { ${kinds.join(', ')} } from "clockwork";\n\nexport default [\n${resources.map((text) => `  ${text.replace(/\n/g, '\n  ')},`).join('\n')}\n];\n`;
}

const NON_ASCII = ['é', 'ß', '日本語', '🦀', '👩‍👩‍👧', '\u202e', '\u200b', '\ufeff', '\ud800', '\udfff', '\u0000', '\r\n', '\r', '\u2028', 'ﷺ', '𝔘'];
const UNBALANCED = ['(', ')', '[', ']', '{', '}', '"', "'", '`', '${', '/*', '*/', '//', '<', '>', '\\', '/'];

/** One random edit of `text`, as an LSP range change. */
function mutation(random: Random, doc: TextDocument): TextDocumentContentChangeEvent {
  const text = doc.getText();
  const tokens = [...text.matchAll(/[A-Za-z_$][\w$]*|\d+|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\s+|./gsu)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    text: match[0],
  }));
  const at = (offset: number): Position => doc.positionAt(offset);
  const replace = (start: number, end: number, insert: string): TextDocumentContentChangeEvent => ({
    range: { start: at(start), end: at(end) },
    text: insert,
  });
  const token = tokens.length > 0 ? random.pick(tokens) : { start: 0, end: 0, text: '' };
  const offset = random.int(text.length + 1);
  switch (random.int(11)) {
    case 0:
      return replace(token.start, token.end, '');
    case 1:
      return replace(token.end, token.end, token.text);
    case 2: {
      const other = tokens.length > 0 ? random.pick(tokens) : token;
      const [first, second] = token.start <= other.start ? [token, other] : [other, token];
      if (first.end > second.start) return replace(first.start, first.end, second.text);
      return replace(first.start, second.end, second.text + text.slice(first.end, second.start) + first.text);
    }
    case 3:
      return replace(offset, text.length, '');
    case 4:
      return replace(0, offset, '');
    case 5:
      return replace(offset, offset, random.pick(UNBALANCED).repeat(1 + random.int(3)));
    case 6: {
      const huge = random.pick([
        () => `"${'x'.repeat(50_000 + random.int(200_000))}"`,
        () => `${'9'.repeat(400)}`,
        () => `'${'\\'.repeat(10_001)}`,
        () => `${'a'.repeat(100_000)}`,
        () => `"${'🦀'.repeat(20_000)}"`,
      ])();
      return replace(offset, offset, huge);
    }
    case 7: {
      const depth = random.pick([50, 500, 3_000, 20_000]);
      const [open, close] = random.pick([
        ['[', ']'],
        ['{ a: ', ' }'],
        ['(', ')'],
        ['new FileResource({ assertions: [', '] })'],
        ['`${', '}`'],
      ]);
      return replace(offset, offset, open!.repeat(depth) + (random.chance(0.5) ? close!.repeat(depth) : ''));
    }
    case 8:
      return replace(offset, offset, random.pick(NON_ASCII).repeat(1 + random.int(4)));
    case 9:
      return replace(token.start, token.end, random.pick(NON_ASCII));
    default: {
      // A line from elsewhere in the file pasted at a random place.
      const lines = text.split('\n');
      return replace(offset, offset, `${random.pick(lines)}\n`);
    }
  }
}

/** A position, sometimes outside the document. */
function randomPosition(random: Random, doc: TextDocument): Position {
  if (random.chance(0.05)) return { line: random.int(doc.lineCount + 5), character: random.int(400) };
  return doc.positionAt(random.int(doc.getText().length + 1));
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply to ${what} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the fuzzer against a fresh server. */
export async function runLspFuzz(options: LspFuzzOptions): Promise<LspFuzzFigures> {
  const started = performance.now();
  const random = new Random(options.seed);
  const bases = fuzzBases();
  const lanes = options.lanes ?? 4;
  const failuresDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-lsp-fuzz-'));
  const figures: LspFuzzFigures = {
    seed: options.seed,
    documents: 0,
    requests: 0,
    crashes: 0,
    handlerErrors: 0,
    incrementalMismatches: 0,
    slowestMs: 0,
    slowestWhat: '',
    slowestLoad: 0,
    completions: { count: 0, p50Ms: NaN, p99Ms: NaN },
    durationMs: 0,
    failures: [],
  };
  const session: LspSession = await startLanguageServer();
  let exited = false;
  const watchExit = (current: LspSession): void => {
    current.process.once('exit', (code, signal) => {
      if (current !== session || stopping) return;
      exited = true;
      figures.crashes += 1;
      figures.failures.push(`server exited (code ${code}, signal ${signal}) around document ${figures.documents}: ${current.stderr().slice(-2000)}`);
    });
  };
  let stopping = false;
  const currentDoc = new Map<number, { index: number; text: string }>();
  const record = (lane: number, what: string): string => {
    const doc = currentDoc.get(lane);
    if (!doc) return what;
    const file = path.join(failuresDir, `doc-${doc.index}.clockwork.ts`);
    if (figures.failures.length < 20) fs.writeFileSync(file, doc.text);
    return `${what} (document ${doc.index}, saved in ${file})`;
  };
  const listenLogs = (current: LspSession, laneOf: () => number): void => {
    current.connection.onNotification(LogMessageNotification.type, (params) => {
      if (params.type !== MessageType.Error) return;
      figures.handlerErrors += 1;
      if (figures.failures.length < 20) figures.failures.push(record(laneOf(), `handler error logged: ${params.message.slice(0, 600)}`));
    });
  };
  let lastLane = 0;
  watchExit(session);
  listenLogs(session, () => lastLane);

  const completionTimes: number[] = [];
  const timed = async <T>(lane: number, what: string, request: () => Promise<T>): Promise<T | undefined> => {
    const begin = performance.now();
    figures.requests += 1;
    try {
      const reply = await withTimeout(request(), what);
      const elapsed = performance.now() - begin;
      if (what === 'completion') completionTimes.push(elapsed);
      // A reply over the 1 s goal: keep the document so it can be replayed.
      if (elapsed >= 1000 && figures.failures.length < 20) figures.failures.push(record(lane, `${what} took ${Math.round(elapsed)} ms`));
      if (elapsed > figures.slowestMs) {
        figures.slowestMs = elapsed;
        figures.slowestWhat = `${what} (document ${currentDoc.get(lane)?.index})`;
        figures.slowestLoad = os.loadavg()[0] ?? 0;
      }
      return reply;
    } catch (error) {
      if (exited) return undefined;
      figures.crashes += 1;
      const code = error instanceof ResponseError ? ` [${error.code === ErrorCodes.InternalError ? 'InternalError' : error.code}]` : '';
      if (figures.failures.length < 20) figures.failures.push(record(lane, `${what} failed${code}: ${error instanceof Error ? error.message : String(error)}`));
      return undefined;
    }
  };

  let next = 0;
  const runLane = async (lane: number): Promise<void> => {
    const uri = `file:///clockwork-fuzz/lane${lane}/clockwork.ts`;
    const freshUri = `file:///clockwork-fuzz/lane${lane}/fresh.clockwork.ts`;
    let version = 1;
    let doc = TextDocument.create(uri, 'typescript', version, bases[0]!);
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version, text: doc.getText() },
    });
    let diagnostics: Diagnostic[] = [];
    while (!exited) {
      const index = next++;
      if (index >= options.documents) return;
      lastLane = lane;
      // Start from a base (a whole-text change) or keep mutating the current text.
      const changes: TextDocumentContentChangeEvent[] = [];
      version += 1;
      if (random.chance(0.6) || doc.getText().length > 400_000) {
        const base = random.pick(bases);
        changes.push({ text: base });
        doc = TextDocument.update(doc, [{ text: base }], version);
      }
      const count = 1 + random.int(4);
      for (let step = 0; step < count; step++) {
        const change = mutation(random, doc);
        changes.push(change);
        doc = TextDocument.update(doc, [change], version);
      }
      currentDoc.set(lane, { index, text: doc.getText() });
      figures.documents += 1;
      const published = session.nextDiagnostics(uri, version);
      const changedAt = performance.now();
      await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
      const textDocument = { uri };
      const range = [randomPosition(random, doc), randomPosition(random, doc)].sort((a, b) => a.line - b.line || a.character - b.character);
      const [model] = await Promise.all([
        timed(lane, 'clockwork/documentModel', () => session.connection.sendRequest(DocumentModelRequest, { uri })),
        timed(lane, 'completion', () => session.connection.sendRequest(CompletionRequest.type, { textDocument, position: randomPosition(random, doc) })),
        timed(lane, 'hover', () => session.connection.sendRequest(HoverRequest.type, { textDocument, position: randomPosition(random, doc) })),
        timed(lane, 'documentSymbol', () => session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument })),
        timed(lane, 'codeLens', () => session.connection.sendRequest(CodeLensRequest.type, { textDocument })),
        timed(lane, 'codeAction', () =>
          session.connection.sendRequest(CodeActionRequest.type, { textDocument, range: { start: range[0]!, end: range[1]! }, context: { diagnostics } }),
        ),
      ]);
      const reply = await timed(lane, 'diagnostics', async () => {
        const params = await published;
        return { params, elapsed: performance.now() - changedAt };
      });
      if (reply) diagnostics = reply.params.diagnostics;
      if (index % 10 === 0 && model) {
        // Oracle: a fresh parse of the same text must give the same model.
        await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
          textDocument: { uri: freshUri, languageId: 'typescript', version: 1, text: doc.getText() },
        });
        const fresh = await timed(lane, 'clockwork/documentModel (fresh)', () => session.connection.sendRequest(DocumentModelRequest, { uri: freshUri }));
        await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: freshUri } });
        const strip = (value: unknown): string => JSON.stringify({ ...(value as object), uri: '', version: 0 });
        if (fresh && strip(fresh) !== strip(model)) {
          figures.incrementalMismatches += 1;
          if (figures.failures.length < 20) figures.failures.push(record(lane, 'incremental parse differs from a fresh parse'));
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));
  } finally {
    stopping = true;
    if (!exited) await withTimeout(session.stop(), 'shutdown').catch(() => session.process.kill('SIGKILL'));
    else session.process.kill('SIGKILL');
    if (figures.failures.length === 0) fs.rmSync(failuresDir, { recursive: true, force: true });
  }
  completionTimes.sort((a, b) => a - b);
  const percentile = (p: number): number => completionTimes[Math.min(completionTimes.length - 1, Math.floor((p / 100) * completionTimes.length))] ?? NaN;
  figures.completions = { count: completionTimes.length, p50Ms: percentile(50), p99Ms: percentile(99) };
  figures.durationMs = performance.now() - started;
  return figures;
}
