/** Small wording helpers every renderer shares. */
import * as path from 'node:path';
import type { ResourceIdentity } from '../model/define.js';

/** A path as people want to read it: relative when it lies inside `cwd`, absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** A resource's target for people: a path relative to `cwd`, or its kind of target and name (`container web`). */
export function describeTarget(identity: ResourceIdentity, cwd: string): string {
  return identity.type === 'file' ? displayPath(identity.id, cwd) : `${identity.type} ${identity.id}`;
}
