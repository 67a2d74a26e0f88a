// Builds every bundle Clockwork ships, one esbuild context each (as vscode-eslint does).
//   node esbuild.mjs            one production build
//   node esbuild.mjs --watch    rebuild on change
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
  // The `clockwork` command-line tool.
  {
    entryPoints: ['server/src/cli.ts'],
    outfile: 'dist/cli.cjs',
    // Parsed on every command: minifying halves the start-up parse time.
    minify: true,
    keepNames: true,
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
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

const contexts = await Promise.all(bundles.map((bundle) => esbuild.context({ ...common, ...bundle })));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
