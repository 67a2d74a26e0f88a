/**
 * `.clockwork/state.json`: what apply created, per resource and host. Destroy tears down
 * exactly what it lists, so it is written atomically and never silently reset.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { RESOURCE_IDENTITY_TYPES, type ResourceIdentity } from '../model/define.js';
import { ClockworkError } from '../model/errors.js';
import type { PlainValue, Prior } from '../model/operations.js';
import { writeFileAtomic } from './atomicWrite.js';

/** One resource on one host, as apply left it. */
export interface StateRecord {
  kind: string;
  name: string;
  /** What it is on the host (file path, container name, user…). */
  identity: ResourceIdentity;
  /** The inventory host name, e.g. `@local`. */
  host: string;
  /** Hash of the spec as declared in clockwork.ts. */
  specHash: string;
  /** Hash of what was deployed (the compiled operations, AI-written content included). */
  contentHash: string;
  /** When apply last deployed it (ISO 8601). */
  appliedAt: string;
  /** Set when its last deploy failed part-way: it may exist, and the next apply retries it. */
  failed?: true;
  /**
   * What the host held before Clockwork first applied it (the kind's `prior` facts, e.g.
   * whether the user existed), so destroy removes only what apply made.
   */
  prior?: Prior;
  /** The names of the resources it depends on: destroy removes it before them. */
  dependsOn?: string[];
}

const recordSchema = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  identity: z.object({ type: z.enum(RESOURCE_IDENTITY_TYPES), id: z.string().min(1), paths: z.array(z.string().min(1)).optional() }),
  host: z.string().min(1),
  specHash: z.string(),
  contentHash: z.string(),
  appliedAt: z.string(),
  failed: z.literal(true).optional(),
  prior: z.record(z.string(), z.union([z.boolean(), z.array(z.string()), z.null()])).optional(),
  dependsOn: z.array(z.string()).optional(),
});
/** A folder apply created on a host: destroy removes it once it is empty. */
export interface CreatedFolder {
  host: string;
  /** Absolute path on the host. */
  path: string;
}

/** How to reach a host the state records resources on: its inventory entry (paths and values, never a key). */
export interface RecordedHost {
  name: string;
  data: Record<string, PlainValue>;
}

const folderSchema = z.object({ host: z.string().min(1), path: z.string().min(1) });
const hostSchema = z.object({ name: z.string().min(1), data: z.record(z.string(), z.json()) });
const stateSchema = z.object({
  version: z.literal(1),
  resources: z.array(recordSchema),
  folders: z.array(folderSchema).optional(),
  hosts: z.array(hostSchema).optional(),
});

/** Everything the state file holds. */
export interface StateContent {
  resources: StateRecord[];
  /** Folders apply created (in the order it created them). */
  folders: CreatedFolder[];
  /** How each host the resources and folders are on is reached (SshHosts of clockwork.ts). */
  hosts: RecordedHost[];
}

/** The state file could not be read. Exit code 2: the user must look at it. */
export class StateError extends ClockworkError {
  override name = 'StateError';
  readonly exitCode = 2;
}

/** The path of the state file. */
export function stateFile(stateDir: string): string {
  return path.join(stateDir, 'state.json');
}

/** The recorded resources; none when there is no state file yet. */
export function readState(stateDir: string): StateRecord[] {
  return readStateContent(stateDir).resources;
}

/** The recorded resources and the folders apply created; empty when there is no state file yet. */
export function readStateContent(stateDir: string): StateContent {
  const file = stateFile(stateDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { resources: [], folders: [], hosts: [] };
    throw error;
  }
  let problem: string;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { resources: parsed.data.resources as StateRecord[], folders: parsed.data.folders ?? [], hosts: (parsed.data.hosts ?? []) as RecordedHost[] };
    problem = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).slice(0, 3).join('; ');
  } catch (error) {
    problem = (error as Error).message;
  }
  throw new StateError(
    `${file} is not valid Clockwork state (${problem}). It lists what apply created, so Clockwork will not guess: ` +
      `repair it, or move it aside (e.g. to state.json.broken) and remove what it listed by hand; the next apply then starts afresh.`,
  );
}

/** The recorded hosts' connection data; none when there is no state file yet. */
export function readRecordedHosts(stateDir: string): RecordedHost[] {
  return readStateContent(stateDir).hosts;
}

/**
 * Writes the state (atomically), in the order given; a state with neither resources nor
 * folders removes the file. `folders` defaults to the folders recorded now. The connection data
 * of every host a record or folder names is kept: from `hosts` when given, else as recorded.
 */
export function writeState(
  stateDir: string,
  records: readonly StateRecord[],
  folders: readonly CreatedFolder[] = readStateContent(stateDir).folders,
  hosts: readonly RecordedHost[] = [],
): void {
  const file = stateFile(stateDir);
  if (records.length === 0 && folders.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  const named = new Set([...records.map((record) => record.host), ...folders.map((folder) => folder.host)]);
  const byName = new Map<string, RecordedHost>();
  for (const host of [...readStateContent(stateDir).hosts, ...hosts]) if (named.has(host.name)) byName.set(host.name, host);
  const recordedHosts = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Kept in the order apply created them, so destroy can undo in reverse.
  const content = { version: 1, resources: records, ...(folders.length > 0 ? { folders } : {}), ...(recordedHosts.length > 0 ? { hosts: recordedHosts } : {}) };
  writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
}

/** A SHA-256 of a JSON value with its object keys sorted, so equal values hash equally. */
export function stableHash(value: unknown): string {
  return crypto.createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The key of a record's resource (kind, name and identity): the same thing on a host. */
export function recordKey(record: Pick<StateRecord, 'kind' | 'name' | 'identity'>): string {
  return `${record.kind}\0${record.name}\0${record.identity.type}\0${record.identity.id}`;
}

/** The host of a record whose host is unknown (a run cancelled before PyInfra reported): every host. */
export const ANY_HOST = '*';
