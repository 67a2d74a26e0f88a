/**
 * The one module that reads configuration: the settings of server/src/configuration.ts, checked
 * and resolved for a project folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { LOG_LEVELS, SETTINGS, type SettingId, type SettingType } from '../configuration.js';
import { ClockworkError, describeValue } from '../model/errors.js';
import { isHttpUrl } from '../model/fields.js';
import { Secret } from './secret.js';

export { LOG_LEVELS };
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

type Specs = typeof SETTINGS;

/** The id of a setting the pipeline reads: one with an environment name. */
export type PipelineSettingId = { [K in SettingId]: Specs[K] extends { env: string } ? K : never }[SettingId];

/** A setting's environment-variable name (also its name in `.env` and in `sources`). */
export type SettingName = Specs[PipelineSettingId]['env'];

/** Where a setting's value came from. */
export type SettingSource = 'explicit' | 'environment' | '.env' | 'default';

type ValueOf<S> = S extends { type: { kind: 'secret' } }
  ? Secret | undefined
  : S extends { type: { kind: 'count' | 'seconds' } }
    ? number
    : S extends { type: { kind: 'choice'; values: readonly (infer V)[] } }
      ? V
      : S extends { default: string }
        ? string
        : string | undefined;

/**
 * Resolved configuration for one project: each setting of server/src/configuration.ts by its id
 * (paths absolute, seconds as milliseconds, the key a `Secret`), and what follows from the folder.
 */
export type Settings = { [K in PipelineSettingId]: ValueOf<Specs[K]> } & {
  projectDir: string;
  /** Absolute `.clockwork/` folder of the project (state, cache, results). */
  stateDir: string;
  /** PROJECT_NAME, else the folder's name. */
  projectName: string;
  /** The PATH to search for programs. */
  searchPath: string;
  /** The user's cache folder (XDG_CACHE_HOME or ~/.cache). */
  cacheDir: string;
  /** Where each setting came from. */
  sources: Record<SettingName, SettingSource>;
};

/** A configuration value that is not valid. Names the setting and where it came from. */
export class SettingsError extends ClockworkError {
  override name = 'SettingsError';
}

/** Values given explicitly (CLI flags, editor settings), by environment name; undefined entries are ignored. */
export type ExplicitSettings = Partial<Record<SettingName, string | undefined>>;

/** What `resolveSettings` reads. */
export interface SettingsInput {
  projectDir: string;
  explicit?: ExplicitSettings;
  /** The environment; defaults to process.env. */
  environment?: NodeJS.ProcessEnv;
}

const PIPELINE_IDS = (Object.keys(SETTINGS) as SettingId[]).filter((id): id is PipelineSettingId => 'env' in SETTINGS[id]);

/** Explicit values by setting id (the editor's, or the CLI's flags), as `resolveSettings` takes them. */
export function explicitSettings(values: Partial<Record<SettingId, string | number | boolean | undefined>>): ExplicitSettings {
  const explicit: ExplicitSettings = {};
  for (const id of PIPELINE_IDS) {
    const value = values[id];
    if (value !== undefined && value !== '') explicit[SETTINGS[id].env] = String(value);
  }
  return explicit;
}

const integer = (min: number, max: number) => {
  const error = (issue: { input: unknown }): string => `expected a whole number from ${min} to ${max}, got ${describeValue(issue.input)}`;
  return z
    .string()
    .regex(/^\d+$/, { error })
    .refine((value) => Number(value) >= min && Number(value) <= max, { error });
};

/** How a setting's text is checked (zod, so messages say what was expected and what was given). */
function validator(type: SettingType): z.ZodType<string, string> {
  switch (type.kind) {
    case 'secret':
      return z.string();
    case 'text':
    case 'path':
      return z.string().min(1);
    case 'url':
      return z.string().refine(isHttpUrl, { error: (issue) => `expected an http:// or https:// URL, got ${describeValue(issue.input)}` });
    case 'choice':
      return z
        .string()
        .transform((value) => value.toUpperCase())
        .pipe(z.enum(type.values as [string, ...string[]], { error: (issue) => `expected one of ${type.values.join(', ')}, got ${describeValue(issue.input)}` }));
    case 'count':
    case 'seconds':
      return integer(type.min, type.max);
  }
}

/** A checked setting's text as the pipeline uses it. */
function convert(type: SettingType, value: string, projectDir: string): unknown {
  switch (type.kind) {
    case 'secret':
      return new Secret(value);
    case 'path':
      return path.resolve(projectDir, value);
    case 'count':
      return Number(value);
    case 'seconds':
      return Number(value) * 1000;
    default:
      return value;
  }
}

/**
 * Resolves settings for a project. Precedence, highest first: explicit values (CLI flags, or VS
 * Code settings and its stored key) > environment variables > `.env` in the project folder
 * (parsed with dotenv, never loaded into process.env) > defaults.
 */
export function resolveSettings(input: SettingsInput): Settings {
  const projectDir = path.resolve(input.projectDir);
  const environment = input.environment ?? process.env;
  const dotenvFile = path.join(projectDir, '.env');
  const dotenvText = fs.existsSync(dotenvFile) ? fs.readFileSync(dotenvFile, 'utf8') : '';
  const dotenv = parseDotenv(dotenvText);

  const values: Record<string, unknown> = {};
  const sources = {} as Record<SettingName, SettingSource>;
  const problems: string[] = [];
  for (const id of PIPELINE_IDS) {
    const spec: { env: SettingName; type: SettingType; default?: string } = SETTINGS[id];
    const name = spec.env;
    const candidates: [string | undefined, SettingSource][] = [
      [input.explicit?.[name], 'explicit'],
      [environment[name], 'environment'],
      [dotenv[name], '.env'],
      [spec.default, 'default'],
    ];
    const [text, source] = candidates.find(([value]) => value !== undefined && value !== '') ?? [undefined, 'default'];
    sources[name] = source;
    if (text === undefined) continue;
    const parsed = validator(spec.type).safeParse(text, { reportInput: true });
    if (parsed.success) {
      values[id] = convert(spec.type, parsed.data, projectDir);
    } else {
      const where = describeSource(source, name, dotenvFile, dotenvText);
      // A secret's value is never echoed back.
      const message = spec.type.kind === 'secret' ? 'is not a valid API key' : (parsed.error.issues[0]?.message ?? 'is not valid');
      problems.push(`${name} (${where}): ${message}`);
    }
  }
  if (problems.length > 0) throw new SettingsError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    ...(values as { [K in PipelineSettingId]: ValueOf<Specs[K]> }),
    projectDir,
    stateDir: path.join(projectDir, '.clockwork'),
    projectName: (values['projectName'] as string | undefined) ?? path.basename(projectDir),
    searchPath: environment['PATH'] ?? '',
    cacheDir: environment['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'),
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
