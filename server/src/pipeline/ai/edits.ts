/**
 * What a cached generation deploys: the AI's values, or, when the user edited the readable
 * preview Clockwork wrote for that generation, the edit. An edited file's text is taken as
 * it is; an edited JSON preview (a Docker service's image, ports…) must still parse and fit
 * the resource's schema, else it is a clear error naming the file, and nothing is deployed.
 */
import { validateSpec } from '../../model/define.js';
import type { LoadedResource } from '../loader/load.js';
import { editedPreview, writePreview, type CacheEntry } from './cache.js';

/** The values to deploy for a cached generation, with the preview it is shown in. */
export type CachedValues =
  | { values: Record<string, unknown>; preview: string; edited: boolean; keptEdit?: string }
  | { error: string; preview: string };

function textFieldOf(resource: LoadedResource): string | undefined {
  const request = resource.definition.generation?.request(resource.spec);
  return request?.output === 'text' ? request.field : undefined;
}

/** The values of `entry` (generation `key`), the user's edit of its preview taking precedence. */
export function cachedValues(resource: LoadedResource, entry: CacheEntry, key: string, stateDir: string): CachedValues {
  const textField = textFieldOf(resource);
  const edit = editedPreview(stateDir, resource, key, textField !== undefined);
  if (!edit) {
    const written = writePreview(stateDir, resource, key, entry.fields, textField);
    return { values: entry.fields, preview: written.file, edited: false, ...(written.keptEdit ? { keptEdit: written.keptEdit } : {}) };
  }
  if (textField !== undefined) return { values: { ...entry.fields, [textField]: edit.content }, preview: edit.file, edited: true };
  const subject = `${resource.kind} ${JSON.stringify(resource.name)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(edit.content);
  } catch (error) {
    return { error: `${subject}: your edit of ${edit.file} is not valid JSON (${(error as Error).message}); fix it, or delete the file to use what the AI wrote`, preview: edit.file };
  }
  const generation = resource.definition.generation;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !generation) {
    return { error: `${subject}: your edit of ${edit.file} must be a JSON object of the generated fields`, preview: edit.file };
  }
  const checked = validateSpec(resource.definition.schema, generation.merge(resource.spec, parsed as Record<string, unknown>));
  if (!checked.ok) {
    const problems = checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return { error: `${subject}: your edit of ${edit.file} does not fit: ${problems}`, preview: edit.file };
  }
  return { values: parsed as Record<string, unknown>, preview: edit.file, edited: true };
}

/** A note for a kept edit (a new generation replaced an edited preview). */
export function keptEditNote(resource: { kind: string; name: string }, preview: string, keptEdit: string): string {
  return `${resource.kind} ${JSON.stringify(resource.name)}: ${preview} held your edit of an earlier generation; it is kept in ${keptEdit}`;
}
