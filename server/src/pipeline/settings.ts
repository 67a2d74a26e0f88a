/**
 * The one module that reads configuration. Precedence, highest first: explicit values
 * (CLI flags, or VS Code settings and its stored key) > environment variables > `.env` in
 * the project folder (parsed with dotenv, never loaded into process.env) > defaults.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { ClockworkError, describeValue } from '../model/errors.js';
import { isHttpUrl } from '../model/fields.js';
import { Secret } from './secret.js';

/** Log levels, most verbose first (the seed's names). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: (issue) => `expected a whole number from ${min} to ${max}, got ${describeValue(issue.input)}` })
    .refine((value) => Number(value) >= min && Number(value) <= max, {
      error: (issue) => `expected a whole number from ${min} to ${max}, got ${describeValue(issue.input)}`,
    });

/**
 * Every setting, by its environment-variable name. Values are strings as they come from
 * the environment or `.env`; `resolveSettings` turns them into typed values.
 */
export const settingsSchema = z.object({
  OPENROUTER_API_KEY: z.string().describe('API key for the AI endpoint. Needed only when the AI must fill something in.'),
  OPENROUTER_MODEL: z.string().min(1).default('openai/gpt-oss-20b:free').describe('The model that writes generated content.'),
  OPENROUTER_BASE_URL: z
    .string()
    .refine(isHttpUrl, { error: (issue) => `expected an http:// or https:// URL, got ${describeValue(issue.input)}` })
    .default('https://openrouter.ai/api/v1')
    .describe('Base URL of an OpenAI-compatible API (OpenRouter, LM Studio, Ollama, llama.cpp…).'),
  PYINFRA_OUTPUT_DIR: z.string().min(1).default('.clockwork/pyinfra').describe('Where the generated PyInfra programs go, relative to the project folder.'),
  PYINFRA_PATH: z.string().min(1).describe('The pyinfra program to run; by default it is looked up on PATH.'),
  PYINFRA_INVENTORY: z
    .string()
    .min(1)
    .describe('A PyInfra inventory file of your own (relative to the project folder); by default the generated inventory.py, which deploys to this machine (@local).'),
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(LOG_LEVELS, { error: (issue) => `expected one of ${LOG_LEVELS.join(', ')}, got ${describeValue(issue.input)}` }))
    .default('INFO')
    .describe('How much Clockwork logs.'),
  PROJECT_NAME: z.string().min(1).describe('A name for the project, shown in output; defaults to the folder name.'),
  CLOCKWORK_AI_CONCURRENCY: integer(1, 64).default('4').describe('How many AI requests run at once.'),
  CLOCKWORK_AI_TIMEOUT: integer(1, 3600).default('300').describe('Seconds one AI request may take before it is retried or fails.'),
  CLOCKWORK_LOAD_TIMEOUT: integer(1, 3600).default('10').describe('Seconds clockwork.ts may take to load before it is stopped.'),
}).partial({ OPENROUTER_API_KEY: true, PYINFRA_PATH: true, PYINFRA_INVENTORY: true, PROJECT_NAME: true });

/** A setting's name. */
export type SettingName = keyof z.input<typeof settingsSchema>;

/** Where a setting's value came from. */
export type SettingSource = 'explicit' | 'environment' | '.env' | 'default';

/** Resolved configuration for one project. */
export interface Settings {
  projectDir: string;
  apiKey: Secret | undefined;
  model: string;
  baseUrl: string;
  /** Absolute folder for the generated PyInfra programs. */
  outputDir: string;
  /** Absolute `.clockwork/` folder of the project (state, cache, results). */
  stateDir: string;
  pyinfraPath: string | undefined;
  /** Absolute path of the user's own inventory, or undefined for the generated one. */
  inventory: string | undefined;
  logLevel: LogLevel;
  projectName: string;
  aiConcurrency: number;
  /** How long one AI request may take, in milliseconds. */
  aiTimeoutMs: number;
  loadTimeoutMs: number;
  /** The PATH to search for programs. */
  searchPath: string;
  /** The user's cache folder (XDG_CACHE_HOME or ~/.cache). */
  cacheDir: string;
  /** Where each setting came from. */
  sources: Record<SettingName, SettingSource>;
}

/** A configuration value that is not valid. Names the setting and where it came from. */
export class SettingsError extends ClockworkError {
  override name = 'SettingsError';
}

/** What `resolveSettings` reads. */
export interface SettingsInput {
  projectDir: string;
  /** Values given explicitly (CLI flags, editor settings); undefined entries are ignored. */
  explicit?: Partial<Record<SettingName, string | undefined>>;
  /** The environment; defaults to process.env. */
  environment?: NodeJS.ProcessEnv;
}

/** Resolves settings for a project with the documented precedence. */
export function resolveSettings(input: SettingsInput): Settings {
  const projectDir = path.resolve(input.projectDir);
  const environment = input.environment ?? process.env;
  const dotenvFile = path.join(projectDir, '.env');
  const dotenvText = fs.existsSync(dotenvFile) ? fs.readFileSync(dotenvFile, 'utf8') : '';
  const dotenv = parseDotenv(dotenvText);

  const raw: Partial<Record<SettingName, string>> = {};
  const sources = {} as Record<SettingName, SettingSource>;
  for (const name of Object.keys(settingsSchema.shape) as SettingName[]) {
    const explicit = input.explicit?.[name];
    const candidates: [string | undefined, SettingSource][] = [
      [explicit, 'explicit'],
      [environment[name], 'environment'],
      [dotenv[name], '.env'],
    ];
    const found = candidates.find(([value]) => value !== undefined && value !== '');
    sources[name] = found ? found[1] : 'default';
    if (found) raw[name] = found[0];
  }

  const parsed = settingsSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as SettingName;
      const where = describeSource(sources[name], name, dotenvFile, dotenvText);
      // A secret's value is never echoed back.
      const message = name === 'OPENROUTER_API_KEY' ? 'is not a valid API key' : issue.message;
      return `${name} (${where}): ${message}`;
    });
    throw new SettingsError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const values = parsed.data;
  const cacheDir = environment['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return {
    projectDir,
    apiKey: values.OPENROUTER_API_KEY ? new Secret(values.OPENROUTER_API_KEY) : undefined,
    model: values.OPENROUTER_MODEL,
    baseUrl: values.OPENROUTER_BASE_URL,
    outputDir: path.resolve(projectDir, values.PYINFRA_OUTPUT_DIR),
    stateDir: path.join(projectDir, '.clockwork'),
    pyinfraPath: values.PYINFRA_PATH,
    inventory: values.PYINFRA_INVENTORY === undefined ? undefined : path.resolve(projectDir, values.PYINFRA_INVENTORY),
    logLevel: values.LOG_LEVEL,
    projectName: values.PROJECT_NAME ?? path.basename(projectDir),
    aiConcurrency: Number(values.CLOCKWORK_AI_CONCURRENCY),
    aiTimeoutMs: Number(values.CLOCKWORK_AI_TIMEOUT) * 1000,
    loadTimeoutMs: Number(values.CLOCKWORK_LOAD_TIMEOUT) * 1000,
    searchPath: environment['PATH'] ?? '',
    cacheDir,
    sources,
  };
}

function describeSource(source: SettingSource, name: string, dotenvFile: string, dotenvText: string): string {
  switch (source) {
    case 'explicit':
      return 'given explicitly';
    case 'environment':
      return 'from the environment';
    case '.env': {
      const pattern = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*[=:]`);
      const line = dotenvText.split(/\r?\n/).findIndex((text) => pattern.test(text));
      return line >= 0 ? `from ${dotenvFile}:${line + 1}` : `from ${dotenvFile}`;
    }
    default:
      return 'default';
  }
}
