/** Where Clockwork's own files are, whether running from source or from the bundles in dist/. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'clockwork';
let cachedRoot: string | undefined;

/** The folder of Clockwork's package.json (the repository, or the installed extension). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === PACKAGE_NAME) return (cachedRoot = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Clockwork's package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The path of a built bundle in dist/, e.g. `distFile('clockwork.cjs')`. */
export function distFile(name: string): string {
  const file = path.join(packageRoot(), 'dist', name);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run "npm run build" first`);
  }
  return file;
}

/** Clockwork's version, from package.json. */
export function clockworkVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
