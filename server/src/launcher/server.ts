/**
 * `dist/server.cjs`, what editors start (`node dist/server.cjs --stdio`, or the
 * `clockwork-language-server --stdio` command): loads the language server bundle
 * (`dist/language-server.cjs`) through the compile cache, so it answers `initialize` without
 * first compiling 5 MB of JavaScript. Started without a transport, it says how to start it.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireWithCompileCache } from './compileCache.js';

const USAGE = `Usage: clockwork-language-server --stdio
Clockwork's language server for clockwork.ts files. Editors start it and talk LSP over
stdin/stdout (--stdio); --node-ipc, --socket=PORT and --pipe=NAME work too.
See the README's "Other editors" section for Neovim and Helix.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else if (!args.some((arg) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(arg))) {
  process.stderr.write(`clockwork-language-server: no transport given.\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  requireWithCompileCache(path.join(path.dirname(fileURLToPath(import.meta.url)), 'language-server.cjs'));
}
