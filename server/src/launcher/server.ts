/**
 * `dist/server.cjs`, what editors start (`node dist/server.cjs --stdio`): loads the language
 * server bundle (`dist/language-server.cjs`) through the compile cache, so it answers
 * `initialize` without first compiling 5 MB of JavaScript.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireWithCompileCache } from './compileCache.js';

requireWithCompileCache(path.join(path.dirname(fileURLToPath(import.meta.url)), 'language-server.cjs'));
