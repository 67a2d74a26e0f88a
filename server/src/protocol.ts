/**
 * Everything the Clockwork language server and the VS Code client say to each other beyond
 * standard LSP: custom requests and notifications, and the commands CodeLens invokes. (Results
 * reach CodeLens through `.clockwork/results.json` and LSP's own `didChangeWatchedFiles`.)
 * Shared by both sides; no `vscode` import here.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-types';
import type { RunSettings } from './configuration.js';
import type { ResourceIdentityType } from './model/define.js';

// The starter files of a new project: shared by `clockwork init` and Init Project.
export { starterFiles, STARTER_CLOCKWORK_TS, STARTER_TSCONFIG, TYPE_DECLARATIONS_PATH, type StarterFile } from './starterFiles.js';

/** Commands the client implements; CodeLens passes them one `ResourceCommandArgs`. */
export const ClockworkCommands = {
  apply: 'clockwork.apply',
  assert: 'clockwork.assert',
  destroy: 'clockwork.destroy',
} as const;

/** The argument of a per-resource command: which file, which resource (its `name`). */
export interface ResourceCommandArgs {
  /** The document URI of the clockwork.ts file. */
  uri: string;
  /** The resource's `name`. */
  resource: string;
}

/** One assertion as the static parse sees it. */
export interface ModelAssertion {
  /** The class name, e.g. `HealthcheckAssert`. */
  kind: string;
  /** Position in the resource's `assertions` array (as the runtime's `LoadedAssertion.index`). */
  index: number;
  /** A short label from the literal fields (e.g. `port 8080`), '' when they are not literal or invalid. */
  label: string;
  /** The whole `new …(…)` expression. */
  range: Range;
}

/** One resource as the static parse sees it. */
export interface ModelResource {
  /** The literal `name`, or undefined when it is not written as a literal. */
  name: string | undefined;
  /** The class name, e.g. `FileResource`. */
  kind: string;
  /** The whole `new …(…)` expression. */
  range: Range;
  /** The class name after `new`. */
  selectionRange: Range;
  assertions: ModelAssertion[];
  /** The names of the hosts in its `targets` (those written literally), when it lists any. */
  hosts?: string[];
}

/** The resources and assertions of a clockwork.ts file, from the server's static parse. */
export interface DocumentModel {
  uri: string;
  /** The document version the model was read from. */
  version: number;
  resources: ModelResource[];
}

/** Params of `clockwork/documentModel`. */
export interface DocumentModelParams {
  uri: string;
}

/**
 * `clockwork/documentModel` (client → server): the document's resources and assertions with
 * ranges (the Testing panel's tree). Null when the server does not have the document open.
 */
export const DocumentModelRequest = new RequestType<DocumentModelParams, DocumentModel | null, void>('clockwork/documentModel');

/** Params of `clockwork/documentModelChanged`. */
export interface DocumentModelChangedParams {
  uri: string;
  version: number;
}

/**
 * `clockwork/documentModelChanged` (server → client): the static parse of an open document
 * was refreshed (after open or an edit); request `clockwork/documentModel` to rebuild views.
 */
export const DocumentModelChangedNotification = new NotificationType<DocumentModelChangedParams>('clockwork/documentModelChanged');

/**
 * What a client tells the server in `initialize`'s `initializationOptions` (under the key
 * `clockwork`): the custom server → client notifications it handles. The server sends none
 * of them to a client that does not list them (a plain LSP client such as Neovim's).
 */
export interface ClockworkInitializationOptions {
  /** Methods of the custom notifications the client handles, e.g. `clockwork/documentModelChanged`. */
  notifications: string[];
  /**
   * A TypeScript server runs on the same files (VS Code's built-in one does). Where it also
   * sees Clockwork's declarations (after `clockwork init`), Clockwork does not repeat what it
   * reports and offers.
   */
  typescript: boolean;
  /**
   * Apply, Assert and Destroy may run clockwork.ts, which executes code from the project
   * (`workspace/executeCommand`). Off unless the user says so, like VS Code's Restricted Mode.
   */
  trusted: boolean;
  /**
   * The client runs `clockwork.apply`, `clockwork.assert` and `clockwork.destroy` itself (the VS
   * Code extension, through `clockwork/run`): the server then does not offer them through
   * `workspace/executeCommand`, which would register the same command names twice.
   */
  commands: boolean;
}

/** The `initializationOptions` the VS Code client sends (trust travels with each `clockwork/run`). */
export const VSCODE_INITIALIZATION_OPTIONS: { clockwork: ClockworkInitializationOptions } = {
  clockwork: { notifications: [DocumentModelChangedNotification.method], typescript: true, trusted: false, commands: true },
};

/** Reads `initializationOptions` leniently: anything missing or malformed counts as "handles nothing". */
export function clockworkInitializationOptions(value: unknown): ClockworkInitializationOptions {
  const clockwork = typeof value === 'object' && value !== null ? (value as { clockwork?: unknown }).clockwork : undefined;
  const notifications = typeof clockwork === 'object' && clockwork !== null ? (clockwork as { notifications?: unknown }).notifications : undefined;
  const flag = (name: 'typescript' | 'trusted' | 'commands'): boolean =>
    typeof clockwork === 'object' && clockwork !== null && (clockwork as Record<string, unknown>)[name] === true;
  return {
    notifications: Array.isArray(notifications) ? notifications.filter((item): item is string => typeof item === 'string') : [],
    typescript: flag('typescript'),
    trusted: flag('trusted'),
    commands: flag('commands'),
  };
}

// ---------------------------------------------------------------------------------------
// Runs: the editor runs the pipeline inside the language server process (issue 7).
// The API key never travels in these messages: the client passes it to the server process
// as the OPENROUTER_API_KEY environment variable.
// ---------------------------------------------------------------------------------------

/** What a run does. `setup` installs PyInfra (`clockwork setup`). */
export type RunCommand = 'plan' | 'apply' | 'assert' | 'destroy' | 'generate' | 'setup';

// Settings the editor gives explicitly (only those the user set, by setting id); they override the
// environment and `.env`. The table is server/src/configuration.ts (pure data, read by the client too).
export { LOG_LEVELS, RUN_SETTING_IDS, SETTINGS, type RunSettingId, type RunSettings, type SettingId, type SettingSpec, type VsCodeSetting } from './configuration.js';

/** Params of `clockwork/run`. */
export interface RunParams {
  command: RunCommand;
  /** A token the client chose; progress and output notifications carry it. */
  runId: string;
  /** The folder holding clockwork.ts, as a file URI. */
  folderUri: string;
  /** Whether the workspace is trusted; the server refuses every run when false. */
  trusted: boolean;
  /** Only these resources (by name). */
  resources?: string[];
  /** Only these assertions (assert). */
  assertions?: { resource: string; index: number }[];
  /** Only on these hosts (the Testing panel's host level; `--host`). */
  hosts?: string[];
  /** Regenerate what is cached (generate). */
  force?: boolean;
  /** Keep `.clockwork/` (the AI's generated content and its cache) when everything was destroyed (destroy). */
  keepFiles?: boolean;
  settings: RunSettings;
}

/** Why a run did not do its work, for the client to offer the right action. */
export type RunErrorKind = 'untrusted' | 'locked' | 'pyinfra-missing' | 'ai-key-missing' | 'load' | 'settings' | 'cancelled' | 'other';

/** What a resource is on its host: a path, a container, an account, packages (see ResourceIdentity). */
export interface WireTarget {
  type: ResourceIdentityType;
  id: string;
}

/** One resource in a plan. */
export interface WirePlanResource {
  kind: string;
  name: string;
  target: WireTarget;
  action: 'create' | 'change' | 'unchanged';
  /** Fields the AI writes. */
  aiFields: string[];
  ai: 'cached' | 'will generate' | 'none';
  assertions: { kind: string; label: string }[];
}

/** A plan. */
export interface WirePlan {
  file: string;
  /** The hosts of the inventory (`@local` for the generated one). */
  hosts: string[];
  resources: WirePlanResource[];
  removals: { kind: string; name: string; target: WireTarget }[];
}

/** One resource's deploy/destroy result on one host. */
export interface WireResourceResult {
  resource: string;
  kind: string;
  host: string;
  target: WireTarget;
  action: 'deploy' | 'remove';
  /** `skipped`: not run because a resource it depends on failed (`error` says which). */
  status: 'changed' | 'unchanged' | 'failed' | 'skipped';
  error?: string;
  /** What a removal deliberately left in place, and why. */
  note?: string;
}

/** One assertion's result on one host. */
export interface WireAssertionResult {
  resource: string;
  /** The resource's kind. */
  kind: string;
  assertion: { kind: string; index: number; label: string };
  host: string;
  status: 'passed' | 'failed' | 'error';
  message: string;
  expected: string;
  actual: string;
  durationMs: number;
  /** True for a resource's default checks (it declares no assertions). */
  isDefault: boolean;
  /** 0-based position in clockwork.ts, when known. */
  location?: { file: string; line: number; character: number };
}

/** One resource's AI generation outcome. */
export interface WireGeneration {
  kind: string;
  name: string;
  status: 'cached' | 'generated' | 'failed' | 'not-needed';
  /** The readable preview of what was generated. */
  preview?: string;
  error?: string;
}

/** One record of the state (what apply created). */
export interface WireStateRecord {
  kind: string;
  name: string;
  host: string;
  target: WireTarget;
}

/** The result of `clockwork/run`. */
export interface RunResult {
  command: RunCommand;
  ok: boolean;
  cancelled: boolean;
  /** One line for people, e.g. "✓ 5 assertions passed". */
  summary: string;
  error?: { kind: RunErrorKind; message: string };
  plan?: WirePlan;
  resources?: WireResourceResult[];
  assertions?: WireAssertionResult[];
  generation?: WireGeneration[];
  durationMs: number;
}

/** `clockwork/run` (client → server): runs a command; cancel the request to stop it. */
export const RunRequest = new RequestType<RunParams, RunResult, void>('clockwork/run');

/** Params of `clockwork/progress` (server → client). */
export interface RunProgressParams {
  runId: string;
  /** A short step for the progress notification, e.g. "Generating 2/3", "Checking 5 assertions". */
  message: string;
  /** An assertion result as it arrives (assert runs). */
  result?: WireAssertionResult;
  /** The checks an assert run is about to perform. */
  checks?: { resource: string; index: number; isDefault: boolean }[];
}

/** `clockwork/progress`: a step of a run, or an assertion result as it arrives. */
export const RunProgressNotification = new NotificationType<RunProgressParams>('clockwork/progress');

/** Params of `clockwork/output` (server → client). */
export interface RunOutputParams {
  runId: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  line: string;
}

/** `clockwork/output`: a line for the "Clockwork" output channel. */
export const RunOutputNotification = new NotificationType<RunOutputParams>('clockwork/output');

/** Params of `clockwork/state` and `clockwork/status`. */
export interface FolderParams {
  folderUri: string;
  trusted: boolean;
  settings: RunSettings;
  resources?: string[];
}

/** What Destroy would remove, for its confirmation. */
export interface DestroyPreview {
  /** The recorded resources (one per host). */
  records: WireStateRecord[];
  /** Folders apply created that go once empty (absolute paths on their hosts). */
  folders: { host: string; path: string }[];
  /** True when nothing would be left recorded, so `.clockwork/` goes too unless kept. */
  removesStateDir: boolean;
  /** Files of AI-generated content in `.clockwork/generated/` (lost with it). */
  generatedFiles: number;
}

/** `clockwork/state` (client → server): what Destroy would remove (from the recorded state). */
export const StateRequest = new RequestType<FolderParams, DestroyPreview, void>('clockwork/state');

/** What the status item shows. */
export interface StatusResult {
  pyinfra: { found: boolean; path?: string; version?: string; problem?: string };
  model: string;
  baseUrl: string;
  /** Whether an API key reaches the server (from the editor's secret storage, the environment or .env). */
  apiKey: boolean;
}

/** `clockwork/status` (client → server): PyInfra, model and key availability for a folder. */
export const StatusRequest = new RequestType<FolderParams, StatusResult, void>('clockwork/status');

/** `clockwork/typeDeclarations` (client → server): a `declare module 'clockwork'` file derived from the model. */
export const TypeDeclarationsRequest = new RequestType0<string, void>('clockwork/typeDeclarations');

/**
 * Node flags the language server runs with. A larger young generation makes minor GCs rarer
 * with a big document open, which trims completion's latency tail (bench:lsp measures it).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=32'];
