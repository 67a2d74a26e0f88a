// Lint: typescript-eslint's recommended rules plus the layer rules of docs/ARCHITECTURE.md, so a
// wrong import fails `npm test` instead of waiting for review (test/unit/layers.test.ts proves
// that the rules bite).
import tseslint from 'typescript-eslint';

const vscodeOnlyInClient = { group: ['vscode', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'vscode is imported only in client/.' };
const noLsp = { group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'only server.ts and server/src/lsp/ wire LSP.' };
// server/src/protocol.ts, from any depth (not the loader's own ./protocol.js).
const protocol = { regex: '^(\\.\\./)+protocol\\.js$', message: 'only the language server and the client speak the protocol.' };
const runtimeLibraries = ['openai', 'execa', 'esbuild', 'typescript', 'zod', 'dotenv', 'yaml'];

// A later block replaces an earlier block's `no-restricted-imports` for the files it matches, so
// every server block repeats the vscode rule.
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const server = (files, ...patterns) => ({ files, rules: restrict(vscodeOnlyInClient, ...patterns) });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'examples/**/scratch/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Everything under server/ (a new folder included) runs outside VS Code.
  server(['server/**']),
  server(['server/src/configuration.ts'], { group: ['*'], message: 'the settings table is pure data (the VS Code client reads it too): it imports nothing.' }),
  server(['server/src/model/**'], noLsp, { group: ['**/pipeline/**', '**/language/**', '**/codegen/**', '**/lsp/**', '**/cli/**', 'openai', 'execa', 'esbuild'], message: 'the model knows only zod.' }, protocol),
  server(['server/src/codegen/**'], noLsp, {
    group: ['**/model/**', '!**/model/operations.js', '!**/model/check.js'],
    message: 'codegen reads only the model\'s data types and pure helpers (model/operations.ts, model/check.ts).',
  }, { group: ['**/pipeline/**', '**/language/**', '**/lsp/**', '**/cli/**', ...runtimeLibraries], message: 'codegen turns data into code and knows nothing else.' }, protocol),
  server(['server/src/pipeline/**'], noLsp, { group: ['**/language/**', '**/lsp/**', '**/cli/**'], message: 'the pipeline knows nothing of the editor or the CLI.' }, protocol),
  server(['server/src/language/**'], noLsp, { group: ['**/pipeline/**', '**/lsp/**', '**/cli/**', '**/codegen/**'], message: 'language features are pure functions over a parsed document.' }),
  server(['server/src/render/**'], noLsp, { group: ['**/language/**', '**/lsp/**', '**/cli/**', '**/codegen/**'], message: 'render turns run data into words for the CLI and the editor alike; it knows neither.' }, protocol),
  server(['server/src/lsp/**'], { group: ['**/cli/**', '**/codegen/**'], message: 'the language server runs the pipeline as the CLI does, without the CLI.' }),
  server(['server/src/cli/**', 'server/src/cli.ts'], noLsp, { group: ['**/language/**', '**/lsp/**', '**/codegen/**'], message: 'the CLI runs the pipeline and prints it; it knows nothing of the editor.' }, protocol),
  server(['server/src/server.ts', 'server/src/protocol.ts'], { group: ['**/cli/**', '**/codegen/**'], message: 'the language server does not use the CLI or generate code.' }),
  {
    files: ['client/**'],
    rules: restrict(
      noLsp,
      { group: ['**/server/src/**', '!**/server/src/protocol.js'], message: 'the client talks to the server only through server/src/protocol.ts.' },
      { group: [...runtimeLibraries, 'vscode-languageserver-protocol'], message: 'the client imports vscode, vscode-languageclient and the protocol only.' },
    ),
  },
  { files: ['test/**/*.cjs', 'test/**/*.js', '**/*.mjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
