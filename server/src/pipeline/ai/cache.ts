/**
 * The cache of generated fields: `.clockwork/generated/<sha256>.json`, keyed by the
 * resource's kind and spec (assertions are not part of a spec), the model and the prompt
 * versions. Written atomically (temporary file + rename), only after a generation
 * succeeded. Beside it, a readable preview of each resource's generated value:
 * `.clockwork/generated/<kind>/<name>` (a file's content as the file) or
 * `<kind>/<name>.json` (structured fields), so a user can review it before deploying.
 *
 * A preview is also the user's to edit: `previews.json` records which generation each
 * preview was written from and a digest of what was written, so an edit is recognised and
 * is what gets deployed, until that resource is generated again (`generate --force`, or a
 * changed description). A new generation never silently drops an edit: the edited file is
 * kept in `.clockwork/generated/replaced/<kind>/<name>` first.
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

/** The readable preview of a resource: the text itself, or `<name>.json` for structured fields. */
export function previewFile(stateDir: string, resource: { kind: string; name: string }, text: boolean): string {
  const safeName = resource.name.replace(/[/\\\0]/g, '_');
  const folder = path.join(generatedDir(stateDir), resource.kind.replace(/[^A-Za-z0-9_-]/g, '_'));
  return text ? path.join(folder, safeName) : path.join(folder, `${safeName}.json`);
}

/** Which generation (cache key) each preview was written from, and the digest of what was written. */
interface PreviewIndex {
  version: 1;
  previews: Record<string, { key: string; sha256: string }>;
}

function indexFile(stateDir: string): string {
  return path.join(generatedDir(stateDir), 'previews.json');
}

function readIndex(stateDir: string): PreviewIndex {
  try {
    const parsed = JSON.parse(fs.readFileSync(indexFile(stateDir), 'utf8')) as Partial<PreviewIndex>;
    if (parsed.version === 1 && parsed.previews && typeof parsed.previews === 'object') return parsed as PreviewIndex;
  } catch {
    // Missing or unreadable: no preview counts as edited.
  }
  return { version: 1, previews: {} };
}

function digest(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function indexKey(stateDir: string, file: string): string {
  return path.relative(generatedDir(stateDir), file).split(path.sep).join('/');
}

/**
 * The user's edit of the preview written from generation `key`: the preview's content when it
 * changed since Clockwork wrote it, else undefined (untouched, missing, or another generation's).
 */
export function editedPreview(stateDir: string, resource: { kind: string; name: string }, key: string, text: boolean): { file: string; content: string } | undefined {
  const file = previewFile(stateDir, resource, text);
  const content = readIfExists(file);
  const record = readIndex(stateDir).previews[indexKey(stateDir, file)];
  if (content === undefined || !record || record.key !== key || digest(content) === record.sha256) return undefined;
  return { file, content };
}

/** What `writePreview` did. */
export interface WrittenPreview {
  file: string;
  /** Where the user's edit of the previous preview was kept, when there was one. */
  keptEdit?: string;
}

/**
 * Writes the readable preview of generation `key`'s fields and records it. A preview the user
 * edited (it differs from what Clockwork last wrote there) is kept aside first.
 */
export function writePreview(
  stateDir: string,
  resource: { kind: string; name: string },
  key: string,
  fields: Record<string, unknown>,
  textField: string | undefined,
): WrittenPreview {
  const file = previewFile(stateDir, resource, textField !== undefined);
  const content = textField !== undefined ? String(fields[textField] ?? '') : `${JSON.stringify(fields, null, 2)}\n`;
  const index = readIndex(stateDir);
  const name = indexKey(stateDir, file);
  const current = readIfExists(file);
  const record = index.previews[name];
  let keptEdit: string | undefined;
  if (current !== undefined && current !== content && (!record || digest(current) !== record.sha256)) {
    keptEdit = path.join(generatedDir(stateDir), 'replaced', name);
    writeAtomically(keptEdit, current);
  }
  if (current !== content) writeAtomically(file, content);
  if (record?.key !== key || record.sha256 !== digest(content)) {
    index.previews[name] = { key, sha256: digest(content) };
    writeAtomically(indexFile(stateDir), `${JSON.stringify(index, null, 2)}\n`);
  }
  return { file, ...(keptEdit ? { keptEdit } : {}) };
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
