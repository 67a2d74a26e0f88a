/** Choosing resources by name (`--resource NAME`, or one resource from the editor's CodeLens). */
import { ClockworkError } from '../../model/errors.js';
import type { LoadedProject, LoadedResource } from './load.js';

/** A resource named in a selection that the project does not declare. */
export class UnknownResourceError extends ClockworkError {
  override name = 'UnknownResourceError';
}

/** Throws UnknownResourceError naming every unknown name and what the project does declare. */
export function checkResourceNames(project: LoadedProject, names: readonly string[]): void {
  const known = project.resources.map((resource) => resource.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UnknownResourceError(
      `${unknown.map((name) => JSON.stringify(name)).join(', ')}: no such resource in ${project.file} (it declares ${known.map((name) => JSON.stringify(name)).join(', ')})`,
    );
  }
}

/** The named resources in declaration order; all of them when `names` is undefined or empty. */
export function selectResources(project: LoadedProject, names: readonly string[] | undefined): LoadedResource[] {
  if (!names || names.length === 0) return project.resources;
  checkResourceNames(project, names);
  return project.resources.filter((resource) => names.includes(resource.name));
}
