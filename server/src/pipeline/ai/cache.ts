/**
 * The cache of generated fields: `.clockwork/generated/<sha256>.json`, keyed by the
 * resource's kind and spec (assertions are not part of a spec), the model and the prompt
 * versions. Written atomically (temporary file + rename), only after a generation
 * succeeded. Beside it, a readable preview of each resource's generated value:
 * `.clockwork/generated/<kind>/<name>` (a file's content as the file) or
 * `<kind>/<name>.json` (structured fields), so a user can review it before deploying.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { LoadedResource } from '../loader/load.js';

/** Raise when the generic part of generation (answer cleaning, repair prompts) changes meaning. */
export const PROMPT_VERSION = 1;

const cacheEntrySchema = z.object({
  kind: z.string(),
  name: z.string(),
  model: z.string(),
  endpoint: z.string(),
  generatedAt: z.string(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number(), totalTokens: z.number() }),
  requests: z.number(),
  mode: z.string(),
  fields: z.record(z.string(), z.unknown()),
});

/** One stored generation. */
export type CacheEntry = z.infer<typeof cacheEntrySchema>;

/** The folder of the cache and the previews. */
export function generatedDir(stateDir: string): string {
  return path.join(stateDir, 'generated');
}

/** The cache key of a resource for a model: sha256 over kind, spec, model and prompt versions. */
export function cacheKey(resource: Pick<LoadedResource, 'kind' | 'spec' | 'definition'>, model: string): string {
  const material = stableJson({
    kind: resource.kind,
    spec: resource.spec,
    model,
    promptVersion: PROMPT_VERSION,
    kindPromptVersion: resource.definition.generation?.promptVersion ?? 0,
  });
  return createHash('sha256').update(material).digest('hex');
}

/** The cache file of a key. */
export function cacheFile(stateDir: string, key: string): string {
  return path.join(generatedDir(stateDir), `${key}.json`);
}

/** The stored entry for a key, or undefined when there is none (or it is unreadable: it is then regenerated). */
export function readCache(stateDir: string, key: string): CacheEntry | undefined {
  let text: string;
  try {
    text = fs.readFileSync(cacheFile(stateDir, key), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = cacheEntrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Stores an entry atomically. */
export function writeCache(stateDir: string, key: string, entry: CacheEntry): string {
  const file = cacheFile(stateDir, key);
  writeAtomically(file, `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}

/** Writes the readable preview of a resource's generated fields (unless it already holds them) and returns its path. */
export function writePreview(
  stateDir: string,
  resource: { kind: string; name: string },
  fields: Record<string, unknown>,
  textField: string | undefined,
): string {
  const safeName = resource.name.replace(/[/\\\0]/g, '_');
  const folder = path.join(generatedDir(stateDir), resource.kind.replace(/[^A-Za-z0-9_-]/g, '_'));
  const file = textField !== undefined ? path.join(folder, safeName) : path.join(folder, `${safeName}.json`);
  const content = textField !== undefined ? String(fields[textField] ?? '') : `${JSON.stringify(fields, null, 2)}\n`;
  if (readIfExists(file) !== content) writeAtomically(file, content);
  return file;
}

/**
 * Writes through a temporary file in the same folder and a rename. No fsync: it would hold
 * up the event loop while other requests are in flight, and this is a cache: an entry torn
 * by a power cut fails validation in readCache and is generated again.
 */
function writeAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted at every level, so equal specs hash equally. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
