/**
 * The classes of bad input issue 11 found getting through to PyInfra, each written as a user
 * would write it in clockwork.ts, with the exact message it must now get at load time. The
 * bad-input table (badInput.ts) runs each through the real CLI and PyInfra; the language
 * server test (test/unit/hardening/refusedAtLoad.test.ts) checks the same message as a
 * diagnostic on the field. The expected messages are written out here on purpose: they are
 * what a user reads, not something derived from the code under test.
 */

/** One declaration that must be refused when clockwork.ts loads. */
export interface RefusedCase {
  /** The row of the bad-input table. */
  row: string;
  /** The classes clockwork.ts imports. */
  imports: string[];
  /** The array's elements, from line 3 of clockwork.ts on (source text, escapes as a user writes them). */
  body: string[];
  /** The exact error line the CLI prints for it (clockwork.ts relative). */
  cli: string;
  /** The exact message of the language server's diagnostic. */
  diagnostic: string;
  /** The source text the diagnostic's range covers: the field's value. */
  at: string;
}

const NUL = 'expected text without a NUL character ("\\u0000"), which no file name, path or shell argument can hold';
const surrogate = (got: string, code: string, at: number): string =>
  `expected valid Unicode text, got ${got}: it holds a lone UTF-16 surrogate "\\u${code}" at character ${at}, half of a pair, which has no UTF-8 form`;
const E57 = 'é'.repeat(57);
const A57 = 'a'.repeat(57);

/** The cases; each clockwork.ts is `imports` + `export default [` + body + `];`. */
export const REFUSED_CASES: readonly RefusedCase[] = [
  {
    row: 'file name over 255 bytes',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: '${'é'.repeat(128)}', content: 'x' }),`],
    cli: `clockwork.ts:3:3 FileResource "${'é'.repeat(128)}": name: expected a file name of at most 255 bytes (the file system's limit for one name), got "${E57}..." (256 bytes in UTF-8)`,
    diagnostic: `name: expected a file name of at most 255 bytes (the file system's limit for one name), got "${E57}..." (256 bytes in UTF-8)`,
    at: `'${'é'.repeat(128)}'`,
  },
  {
    row: 'directory name over 255 bytes',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: 'a.txt', directory: 'docs/${'a'.repeat(256)}', content: 'x' }),`],
    cli: `clockwork.ts:3:3 FileResource "a.txt": directory: expected a path whose every name is at most 255 bytes (the file system's limit), got "docs/${'a'.repeat(52)}...": the name "${A57}..." has 256 bytes in UTF-8`,
    diagnostic: `directory: expected a path whose every name is at most 255 bytes (the file system's limit), got "docs/${'a'.repeat(52)}...": the name "${A57}..." has 256 bytes in UTF-8`,
    at: `'docs/${'a'.repeat(256)}'`,
  },
  {
    row: 'assertion path over 255 bytes',
    imports: ['FileResource', 'FileExistsAssert'],
    body: [`  new FileResource({ name: 'a.txt', content: 'x', assertions: [`, `    new FileExistsAssert({ path: '/srv/${'🦀'.repeat(64)}' }),`, '  ] }),'],
    cli: `clockwork.ts:4:5 FileExistsAssert: path: expected a path whose every name is at most 255 bytes (the file system's limit), got "/srv/${'🦀'.repeat(26)}...": the name "${'🦀'.repeat(28)}..." has 256 bytes in UTF-8`,
    diagnostic: `path: expected a path whose every name is at most 255 bytes (the file system's limit), got "/srv/${'🦀'.repeat(26)}...": the name "${'🦀'.repeat(28)}..." has 256 bytes in UTF-8`,
    at: `'/srv/${'🦀'.repeat(64)}'`,
  },
  {
    row: 'lone surrogate in content',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: 'a.txt', content: 'bad \\ud800 here' }),`],
    cli: `clockwork.ts:3:3 FileResource "a.txt": content: ${surrogate('"bad \\ud800 here"', 'd800', 5)}`,
    diagnostic: `content: ${surrogate('"bad \\ud800 here"', 'd800', 5)}`,
    at: `'bad \\ud800 here'`,
  },
  {
    row: 'lone surrogate in a file name',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: 'b\\ud800.txt', content: 'x' }),`],
    cli: `clockwork.ts:3:3 FileResource "b\\ud800.txt": name: ${surrogate('"b\\ud800.txt"', 'd800', 2)}`,
    diagnostic: `name: ${surrogate('"b\\ud800.txt"', 'd800', 2)}`,
    at: `'b\\ud800.txt'`,
  },
  {
    row: 'lone surrogate in an envVars value',
    imports: ['DockerServiceResource'],
    body: [`  new DockerServiceResource({ name: 'web', image: 'nginx:1.27', envVars: { GREETING: 'hi \\udc00' } }),`],
    cli: `clockwork.ts:3:3 DockerServiceResource "web": envVars.GREETING: ${surrogate('"hi \\udc00"', 'dc00', 4)}`,
    diagnostic: `envVars.GREETING: ${surrogate('"hi \\udc00"', 'dc00', 4)}`,
    at: `'hi \\udc00'`,
  },
  {
    row: 'NUL in a FileContentMatchesAssert pattern',
    imports: ['FileResource', 'FileContentMatchesAssert'],
    body: [`  new FileResource({ name: 'a.txt', content: 'x', assertions: [`, `    new FileContentMatchesAssert({ path: 'a.txt', pattern: 'x\\0y' }),`, '  ] }),'],
    cli: `clockwork.ts:4:5 FileContentMatchesAssert: pattern: ${NUL}, got "x\\u0000y" (NUL at character 2)`,
    diagnostic: `pattern: ${NUL}, got "x\\u0000y" (NUL at character 2)`,
    at: `'x\\0y'`,
  },
  {
    row: 'NUL in a file name',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: 'a\\0.txt', content: 'x' }),`],
    cli: `clockwork.ts:3:3 FileResource "a\\u0000.txt": name: ${NUL}, got "a\\u0000.txt" (NUL at character 2)`,
    diagnostic: `name: ${NUL}, got "a\\u0000.txt" (NUL at character 2)`,
    at: `'a\\0.txt'`,
  },
  {
    row: 'file name "."',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: '.', content: 'x' }),`],
    cli: `clockwork.ts:3:3 FileResource ".": name: expected a file name, got ".", which names the folder itself, not a file (give the file's own name)`,
    diagnostic: `name: expected a file name, got ".", which names the folder itself, not a file (give the file's own name)`,
    at: `'.'`,
  },
  {
    row: 'file name ".."',
    imports: ['FileResource'],
    body: [`  new FileResource({ name: '..', content: 'x' }),`],
    cli: `clockwork.ts:3:3 FileResource "..": name: expected a file name, got "..", which names the parent folder, not a file (give the file's own name)`,
    diagnostic: `name: expected a file name, got "..", which names the parent folder, not a file (give the file's own name)`,
    at: `'..'`,
  },
];

/** The clockwork.ts of a case. */
export function refusedSource(refused: RefusedCase): string {
  return `import { ${refused.imports.join(', ')} } from 'clockwork';\nexport default [\n${refused.body.join('\n')}\n];\n`;
}
