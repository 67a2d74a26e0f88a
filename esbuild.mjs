// Builds every bundle Clockwork ships, one esbuild context each (as vscode-eslint does).
//   node esbuild.mjs            one production build
//   node esbuild.mjs --watch    rebuild on change
//   node esbuild.mjs --if-stale only when a bundle is older than a source (npm's prepare)
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

/** Source ES modules become CommonJS bundles; `import.meta.url` is mapped to the bundle's own file. */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { 'import.meta.url': '__clockworkImportMetaUrl' },
  banner: { js: "var __clockworkImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  // esbuild ships a native binary, so it stays a real dependency instead of being bundled.
  external: ['esbuild'],
};

/** Bundles on the hot path of loading clockwork.ts. */
const loadPath = { minify: true, keepNames: true, sourcemap: 'external' };

/** One entry per shipped bundle. */
const bundles = [
  // The module users import in clockwork.ts (the loader maps `clockwork` to it), and the child
  // process that evaluates clockwork.ts. Both load on every plan/apply: minified, and their
  // maps are written without a sourceMappingURL so Node never parses them at run time.
  { entryPoints: ['server/src/model/index.ts'], outfile: 'dist/clockwork.cjs', ...loadPath },
  { entryPoints: ['server/src/pipeline/loader/child.ts'], outfile: 'dist/load-child.cjs', ...loadPath },
  // The `clockwork` command-line tool: `dist/cli.cjs` is a small launcher that loads the CLI
  // bundle through V8's code cache (server/src/launcher/), like the language server's.
  { entryPoints: ['server/src/launcher/cli.ts'], outfile: 'dist/cli.cjs', minify: true, banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } },
  {
    entryPoints: ['server/src/cli.ts'],
    outfile: 'dist/cli-main.cjs',
    // Compiled when no code cache fits: minifying halves that time.
    minify: true,
    keepNames: true,
  },
  // The language server: `node dist/server.cjs --stdio` is a small launcher that loads the
  // server bundle through V8's code cache (server/src/launcher/); typescript is bundled into
  // the server, minified: it is loaded at every editor start before the first diagnostics.
  // Also the `clockwork-language-server` command other editors start.
  { entryPoints: ['server/src/launcher/server.ts'], outfile: 'dist/server.cjs', minify: true, banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/language-server.cjs', minify: true, keepNames: true },
  // The VS Code extension (client/src); `vscode` is provided by the extension host.
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.cjs', external: ['vscode', 'esbuild'], minify: true, keepNames: true },
];

/**
 * `--if-stale` (npm's prepare): build only when a bundle is missing or older than a source. npm
 * runs prepare again when `npx clockwork` first installs this checkout into its own cache; the
 * bundles `npm ci` built are current then, and a full build would cost that first command 10 s.
 */
function upToDate() {
  let oldestBundle = Infinity;
  for (const { outfile } of bundles) {
    if (!fs.existsSync(outfile)) return false;
    oldestBundle = Math.min(oldestBundle, fs.statSync(outfile).mtimeMs);
  }
  const newest = (file) => {
    const stat = fs.statSync(file);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newest(path.join(file, name))));
  };
  return ['server/src', 'client/src', 'esbuild.mjs', 'package.json', 'package-lock.json'].every((source) => newest(source) < oldestBundle);
}

if (process.argv.includes('--if-stale') && upToDate()) process.exit(0);

const contexts = await Promise.all(bundles.map((bundle) => esbuild.context({ ...common, ...bundle })));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
