/**
 * Every Clockwork setting, once: its environment variable (also its `.env` name), its VS Code key
 * and its CLI flag, with type, default and description. Pure data with no imports, so the VS Code
 * client reads it too (through server/src/protocol.ts). From it, `resolveSettings`
 * (server/src/pipeline/settings.ts) validates and resolves, the CLI derives its flags, the editor
 * passes the keys the user set, and test/unit/configuration.test.ts holds package.json's static
 * `contributes.configuration` to it. Adding a setting is one entry here plus its test.
 */

/** Log levels, most verbose first (the seed's names). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** How a setting's text is read, and what it becomes in the resolved settings. */
export type SettingType =
  /** Non-empty text, kept as it is. */
  | { kind: 'text' }
  /** A key: kept as a `Secret`, never echoed in an error. */
  | { kind: 'secret' }
  /** An http:// or https:// URL. */
  | { kind: 'url' }
  /** A path, resolved against the project folder. */
  | { kind: 'path' }
  /** One of `values`, in any case (upper-cased). */
  | { kind: 'choice'; values: readonly string[] }
  /** A whole number from `min` to `max`. */
  | { kind: 'count'; min: number; max: number }
  /** A whole number of seconds from `min` to `max`; the resolved value is in milliseconds. */
  | { kind: 'seconds'; min: number; max: number };

/**
 * How a setting appears among VS Code's settings (`clockwork.*`, per folder: scope `resource`).
 * package.json's `contributes.configuration` must say exactly this.
 */
export interface VsCodeSetting {
  key: string;
  type: 'string' | 'number' | 'boolean';
  /** For a pipeline setting, '' means "not set here": the environment and `.env` decide. */
  default: string | number | boolean;
  markdownDescription: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** Ignored in Restricted Mode: it names a program to run or a place to write. */
  restricted?: boolean;
}

/** A `clockwork <command>` flag that sets the setting for one run. */
export interface CliFlag {
  flag: string;
  /** The placeholder in help, e.g. `NAME`. */
  value: string;
  help: string;
  /** The commands that take it. */
  commands: readonly string[];
}

/** One setting. Pipeline settings have `env` and `type`; editor-only ones have only `vscode`. */
export interface SettingSpec {
  /** The environment variable, also the name in `.env`. */
  env?: string;
  type?: SettingType;
  /** The value when nothing sets it (as text, as the environment would give it). */
  default?: string;
  description: string;
  vscode?: VsCodeSetting;
  cli?: CliFlag;
}

const AI_COMMANDS = ['plan', 'generate', 'apply'] as const;

/** Every setting, by the name the resolved settings give it. */
export const SETTINGS = {
  apiKey: {
    env: 'OPENROUTER_API_KEY',
    type: { kind: 'secret' },
    description: 'API key for the AI endpoint. Needed only when the AI must fill something in.',
    cli: { flag: 'api-key', value: 'KEY', help: 'API key of the AI endpoint', commands: AI_COMMANDS },
  },
  model: {
    env: 'OPENROUTER_MODEL',
    type: { kind: 'text' },
    default: 'openai/gpt-oss-20b:free',
    description: 'The model that writes generated content.',
    vscode: {
      key: 'clockwork.model',
      type: 'string',
      default: '',
      markdownDescription:
        'The model that writes AI-generated content (e.g. `openai/gpt-oss-20b:free`). Empty: `OPENROUTER_MODEL` from the environment or `.env`, else `openai/gpt-oss-20b:free`.',
    },
    cli: { flag: 'model', value: 'NAME', help: 'the model that writes generated content', commands: AI_COMMANDS },
  },
  baseUrl: {
    env: 'OPENROUTER_BASE_URL',
    type: { kind: 'url' },
    default: 'https://openrouter.ai/api/v1',
    description: 'Base URL of an OpenAI-compatible API (OpenRouter, LM Studio, Ollama, llama.cpp…).',
    vscode: {
      key: 'clockwork.baseUrl',
      type: 'string',
      default: '',
      markdownDescription:
        'Base URL of an OpenAI-compatible API (OpenRouter, LM Studio, Ollama, llama.cpp…). Empty: `OPENROUTER_BASE_URL`, else `https://openrouter.ai/api/v1`.',
      restricted: true,
    },
    cli: { flag: 'base-url', value: 'URL', help: 'an OpenAI-compatible API, e.g. http://localhost:11434/v1', commands: AI_COMMANDS },
  },
  pyinfraPath: {
    env: 'PYINFRA_PATH',
    type: { kind: 'text' },
    description: 'The pyinfra program to run; by default it is looked up on PATH.',
    vscode: {
      key: 'clockwork.pyinfraPath',
      type: 'string',
      default: '',
      markdownDescription: 'The `pyinfra` program to run. Empty: `PYINFRA_PATH`, else `pyinfra` on PATH, else the one `Clockwork: Install PyInfra` installed.',
      restricted: true,
    },
  },
  outputDir: {
    env: 'PYINFRA_OUTPUT_DIR',
    type: { kind: 'path' },
    default: '.clockwork/pyinfra',
    description: 'Where the generated PyInfra programs go, relative to the project folder.',
    vscode: {
      key: 'clockwork.outputDir',
      type: 'string',
      default: '',
      markdownDescription: 'Where the generated PyInfra programs go, relative to the folder of clockwork.ts. Empty: `PYINFRA_OUTPUT_DIR`, else `.clockwork/pyinfra`.',
      restricted: true,
    },
  },
  inventory: {
    env: 'PYINFRA_INVENTORY',
    type: { kind: 'path' },
    description:
      'A PyInfra inventory file of your own (relative to the project folder); by default the generated inventory.py, which deploys to this machine (@local).',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    type: { kind: 'choice', values: LOG_LEVELS },
    default: 'INFO',
    description: 'How much Clockwork logs.',
    vscode: { key: 'clockwork.logLevel', type: 'string', default: 'INFO', enum: LOG_LEVELS, markdownDescription: 'How much Clockwork logs (`LOG_LEVEL`).' },
  },
  projectName: {
    env: 'PROJECT_NAME',
    type: { kind: 'text' },
    description: 'A name for the project, shown in output; defaults to the folder name.',
  },
  aiConcurrency: {
    env: 'CLOCKWORK_AI_CONCURRENCY',
    type: { kind: 'count', min: 1, max: 64 },
    default: '4',
    description: 'How many AI requests run at once.',
    vscode: {
      key: 'clockwork.aiConcurrency',
      type: 'number',
      default: 4,
      minimum: 1,
      maximum: 64,
      markdownDescription: 'How many AI requests run at once (`CLOCKWORK_AI_CONCURRENCY`).',
    },
  },
  aiTimeoutMs: {
    env: 'CLOCKWORK_AI_TIMEOUT',
    type: { kind: 'seconds', min: 1, max: 3600 },
    default: '300',
    description: 'Seconds one AI request may take before it is retried or fails.',
  },
  loadTimeoutMs: {
    env: 'CLOCKWORK_LOAD_TIMEOUT',
    type: { kind: 'seconds', min: 1, max: 3600 },
    default: '10',
    description: 'Seconds clockwork.ts may take to load before it is stopped.',
  },
  confirmApply: {
    description: 'Whether Apply in the editor shows the plan and asks first.',
    vscode: { key: 'clockwork.confirmApply', type: 'boolean', default: true, markdownDescription: 'Show the plan and ask before `Clockwork: Apply` deploys.' },
  },
  watchInterval: {
    description: "Minutes between the Testing panel's continuous runs.",
    vscode: {
      key: 'clockwork.watchInterval',
      type: 'number',
      default: 5,
      minimum: 0,
      markdownDescription:
        "Minutes between the runs of the Testing panel's continuous (watch) mode: drift watch for live infrastructure. 0: re-run only on save.",
    },
  },
} as const satisfies Record<string, SettingSpec>;

type Specs = typeof SETTINGS;

/** A setting's name in the resolved settings. */
export type SettingId = keyof Specs;

/** The settings the editor may give a run: those with both an environment name and a VS Code key. */
export type RunSettingId = { [K in SettingId]: Specs[K] extends { env: string; vscode: object } ? K : never }[SettingId];

type VsCodeValue<T> = T extends 'string' ? string : T extends 'number' ? number : boolean;

/**
 * The values the user set in VS Code for a folder, by setting id (what the editor sends with a
 * run); values left at their package.json default are not sent, so the environment and `.env` apply.
 */
export type RunSettings = { [K in RunSettingId]?: VsCodeValue<Specs[K]['vscode']['type']> };

/** The ids of `RunSettings`, in table order. */
export const RUN_SETTING_IDS = (Object.keys(SETTINGS) as SettingId[]).filter(
  (id): id is RunSettingId => 'env' in SETTINGS[id] && 'vscode' in SETTINGS[id],
);
