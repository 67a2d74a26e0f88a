// Lint: typescript-eslint's recommended rules plus the layer rules of ARCHITECTURE.md, so a
// wrong import fails `npm test` instead of waiting for review.
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const vscodeOnlyInClient = { group: ['vscode', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'vscode is imported only in client/.' };
const noLsp = { group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'only server.ts wires LSP.' };

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
  { files: ['server/src/model/**'], rules: restrict([vscodeOnlyInClient, noLsp, { group: ['**/pipeline/**', '**/language/**', '**/codegen/**', 'openai', 'execa', 'esbuild'], message: 'the model knows only zod.' }]) },
  { files: ['server/src/pipeline/**'], rules: restrict([vscodeOnlyInClient, noLsp, { group: ['**/language/**', '**/cli/**'], message: 'the pipeline knows nothing of the editor or the CLI.' }]) },
  { files: ['server/src/language/**'], rules: restrict([vscodeOnlyInClient, noLsp, { group: ['**/pipeline/**'], message: 'language features are pure functions over a parsed document.' }]) },
  { files: ['server/src/cli/**', 'server/src/cli.ts'], rules: restrict([vscodeOnlyInClient, noLsp]) },
  { files: ['server/src/server.ts', 'server/src/protocol.ts'], rules: restrict([vscodeOnlyInClient]) },
  { files: ['test/**/*.cjs', 'test/**/*.js', '**/*.mjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
