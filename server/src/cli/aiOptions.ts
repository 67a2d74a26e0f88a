/** The options that choose the AI endpoint, shared by the commands that may generate, and the settings of a command. */
import * as path from 'node:path';
import { resolveSettings, type SettingName, type Settings } from '../pipeline/settings.js';
import type { CommandIo, OptionValues } from './command.js';

/** `--model`, `--api-key`, `--base-url` (they override OPENROUTER_MODEL, OPENROUTER_API_KEY, OPENROUTER_BASE_URL). */
export const aiOptions = {
  model: { type: 'string' },
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
} as const;

/** Help text for the AI options. */
export const aiOptionHelp = {
  model: '--model NAME   the model that writes generated content (default: OPENROUTER_MODEL)',
  'api-key': '--api-key KEY  API key of the AI endpoint (default: OPENROUTER_API_KEY; prefer the variable or .env)',
  'base-url': '--base-url URL an OpenAI-compatible API, e.g. http://localhost:11434/v1 (default: OPENROUTER_BASE_URL)',
};

/** The settings the AI options give explicitly, for `resolveSettings({explicit})`. */
function aiExplicitSettings(values: OptionValues): Partial<Record<SettingName, string | undefined>> {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  return { OPENROUTER_MODEL: text('model'), OPENROUTER_API_KEY: text('api-key'), OPENROUTER_BASE_URL: text('base-url') };
}

/** The settings of the project folder `--dir` names (default: the current folder), flags on top. */
export function cliSettings(values: OptionValues, io: CommandIo): Settings {
  const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
  return resolveSettings({ projectDir, environment: io.environment, explicit: aiExplicitSettings(values) });
}
