/**
 * Loads a CommonJS bundle with V8's code cache, kept per user: the language server bundle is
 * 5 MB (mostly TypeScript's parser), and compiling it was most of the time before the server
 * could answer `initialize`. The cache holds V8's compiled code for the bundle (including the
 * functions the first minutes of work compiled), keyed by the bundle's path, size and mtime,
 * the Node version and the CPU architecture; V8 also checks its own version and flags and
 * rejects a cache that does not fit, and then the bundle is compiled as usual and the cache
 * rewritten. `CLOCKWORK_COMPILE_CACHE=0` turns it off (the benchmark's baseline).
 *
 * Only node's own modules here: this runs before anything else is loaded.
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** How long after loading the cache is written (by then the first requests have compiled their code). */
const WRITE_AFTER_MS = 3_000;

/** The per-user folder of compile caches: `$XDG_CACHE_HOME/clockwork/compile-cache` or `~/.cache/…`. */
function cacheDir(): string {
  const root = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(root, 'clockwork', 'compile-cache');
}

/** FNV-1a of a string, as 8 hex digits (node:crypto alone takes 8 ms to load). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The cache file for this build of `file`; `family` starts the names of every build's cache of it. */
function cacheFileFor(file: string, stat: fs.Stats): { cacheFile: string; family: string } {
  const family = `${path.basename(file)}-${shortHash(file)}-`;
  return { cacheFile: path.join(cacheDir(), `${family}${[stat.size, Math.round(stat.mtimeMs), process.version, process.arch].join('-')}.bin`), family };
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically (a temporary file renamed over it); any failure only means no cache. */
function writeCache(cacheFile: string, family: string, script: vm.Script): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temporary, cacheFile);
    // Caches of earlier builds of the same bundle (same name and path) are dead weight now.
    for (const name of fs.readdirSync(path.dirname(cacheFile))) {
      if (name.startsWith(family) && name.endsWith('.bin') && name !== path.basename(cacheFile)) fs.rmSync(path.join(path.dirname(cacheFile), name), { force: true });
    }
  } catch {
    // A read-only home or a full disk: the next start compiles again.
  }
}

/** Whether the cache is on (it is unless `CLOCKWORK_COMPILE_CACHE` is `0` or `off`). */
export function compileCacheEnabled(): boolean {
  const value = process.env['CLOCKWORK_COMPILE_CACHE'];
  return value !== '0' && value !== 'off';
}

/**
 * Runs the CommonJS file `file` as `require` would, compiled from the code cache when one
 * fits, and returns its exports. A missing or rejected cache is (re)written a little later,
 * or at exit if the process ends first.
 */
export function requireWithCompileCache(file: string): unknown {
  if (!compileCacheEnabled()) return createRequire(file)(file);
  const stat = fs.statSync(file);
  const source = fs.readFileSync(file, 'utf8');
  const { cacheFile, family } = cacheFileFor(file, stat);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected === true) {
    let written = false;
    const write = (): void => {
      if (written) return;
      written = true;
      writeCache(cacheFile, family, script);
    };
    setTimeout(write, WRITE_AFTER_MS).unref();
    process.once('exit', write);
  }
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}
