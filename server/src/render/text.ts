/** Small wording helpers every renderer shares. */
import * as path from 'node:path';
import type { ResourceIdentity } from '../model/define.js';

/** A path as people want to read it: relative when it lies inside `cwd`, absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

const PATH_TYPES: ReadonlySet<ResourceIdentity['type']> = new Set(['file', 'directory', 'link', 'repository']);

/** A resource's target for people: a file's path relative to `cwd`, else its kind of target and name (`container web`, `directory site`). */
export function describeTarget(identity: ResourceIdentity, cwd: string): string {
  const id = PATH_TYPES.has(identity.type) ? displayPath(identity.id, cwd) : identity.id;
  return identity.type === 'file' ? id : `${identity.type} ${id}`;
}
