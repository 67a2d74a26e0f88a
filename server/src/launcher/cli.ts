/**
 * `dist/cli.cjs`, the `clockwork` command: loads the CLI bundle (`dist/cli-main.cjs`) through
 * the compile cache, so a command does not first compile a megabyte of JavaScript (about a
 * third of its own start-up before).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireWithCompileCache } from './compileCache.js';

requireWithCompileCache(path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli-main.cjs'));
