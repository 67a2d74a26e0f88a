/** Messages between the loader and the child process that evaluates clockwork.ts. */
import type { ResourceData } from '../../model/define.js';
import type { FieldIssue } from '../../model/errors.js';
import type { HostData } from '../../model/host.js';
import type { SourceLocation } from '../../model/location.js';

/** Parent → child: the bundled code of clockwork.ts. */
export interface LoadRequest {
  code: string;
  /** The absolute path of clockwork.ts (the code is compiled under this name). */
  filename: string;
}

/** A problem found while loading, with where it is. */
export interface LoadProblem {
  message: string;
  location?: SourceLocation;
  /** For validation problems: the class and the resource name. */
  kind?: string;
  label?: string;
  issues?: FieldIssue[];
}

/** Child → parent: what clockwork.ts declared, or why it could not be loaded. */
export type LoadReply =
  | { ok: true; resources: ResourceData[]; /** Hosts exported by themselves (targets travel with their resources). */ hosts?: HostData[]; problems: LoadProblem[] }
  | { ok: false; problems: LoadProblem[] };
