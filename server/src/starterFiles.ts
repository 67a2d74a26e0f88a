/**
 * The files a new Clockwork project starts with, written by `clockwork init` (CLI) and by
 * "Clockwork: Init Project" (VS Code) alike: a starter clockwork.ts, the type declarations of
 * the `clockwork` import (passed in: they are generated from the schemas), a tsconfig.json
 * that lets any TypeScript server resolve that import, and `.clockwork/` in .gitignore.
 * Pure data and one pure function (no imports), so the VS Code client may use it too.
 */

/** The starter clockwork.ts: one file resource with two assertions. */
export const STARTER_CLOCKWORK_TS = `// Clockwork: declare resources and the assertions that prove they work.
// Apply: "Clockwork: Apply" (or the CodeLens above a resource). Assert: the Testing panel.
import { FileExistsAssert, FileContentMatchesAssert, FileResource } from 'clockwork';

export default [
  new FileResource({
    name: 'hello.txt',
    directory: 'scratch',
    content: 'Hello from Clockwork\\n',
    assertions: [
      new FileExistsAssert({ path: 'scratch/hello.txt' }),
      new FileContentMatchesAssert({ path: 'scratch/hello.txt', pattern: 'Hello' }),
    ],
  }),
];
`;

/** The tsconfig.json: type-checks clockwork.ts with `clockwork` resolved to types/clockwork.d.ts. */
export const STARTER_TSCONFIG = `{
  // Lets the editor type-check clockwork.ts; "clockwork" resolves to types/clockwork.d.ts.
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": []
  },
  "include": ["clockwork.ts", "*.clockwork.ts", "types/clockwork.d.ts"]
}
`;

/** Where the type declarations go, relative to the project folder. */
export const TYPE_DECLARATIONS_PATH = 'types/clockwork.d.ts';

/** One file to write, relative to the project folder (always with `/`). */
export interface StarterFile {
  path: string;
  text: string;
}

/**
 * The files to write into a project folder. `read` returns a file's current text, or
 * undefined when it does not exist. Existing clockwork.ts and tsconfig.json are kept; the
 * type declarations are always rewritten (they follow the installed Clockwork); .gitignore
 * gains `.clockwork/` unless it already lists it.
 */
export function starterFiles(read: (path: string) => string | undefined, typeDeclarations: string): StarterFile[] {
  const files: StarterFile[] = [];
  if (read('clockwork.ts') === undefined) files.push({ path: 'clockwork.ts', text: STARTER_CLOCKWORK_TS });
  files.push({ path: TYPE_DECLARATIONS_PATH, text: typeDeclarations });
  if (read('tsconfig.json') === undefined) files.push({ path: 'tsconfig.json', text: STARTER_TSCONFIG });
  const gitignore = read('.gitignore') ?? '';
  if (!gitignore.split(/\r?\n/).some((line) => line.trim() === '.clockwork/' || line.trim() === '.clockwork')) {
    const separator = gitignore && !gitignore.endsWith('\n') ? '\n' : '';
    files.push({ path: '.gitignore', text: `${gitignore}${separator}# Clockwork's state, cache and generated programs\n.clockwork/\n` });
  }
  return files;
}
