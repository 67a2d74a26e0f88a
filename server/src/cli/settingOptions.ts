/**
 * The flags that set a setting for one run (`--model`, `--api-key`, `--base-url`, …), derived from
 * the settings table (server/src/configuration.ts), and the settings a command runs with.
 */
import * as path from 'node:path';
import { SETTINGS, type SettingId, type SettingSpec } from '../configuration.js';
import { explicitSettings, resolveSettings, type Settings } from '../pipeline/settings.js';
import type { CommandIo, OptionValues } from './command.js';

const flagged = (command: string) =>
  (Object.keys(SETTINGS) as SettingId[]).flatMap((id) => {
    const spec: SettingSpec = SETTINGS[id];
    return spec.cli && spec.env && spec.cli.commands.includes(command) ? [{ id, env: spec.env, secret: spec.type?.kind === 'secret', ...spec.cli }] : [];
  });

/** The setting flags `command` takes, as `parseArgs` options. */
export function settingOptions(command: string): Record<string, { type: 'string' }> {
  return Object.fromEntries(flagged(command).map((setting) => [setting.flag, { type: 'string' as const }]));
}

/** Help lines for the setting flags of `command`, e.g. `--model NAME   the model … (default: OPENROUTER_MODEL)`. */
export function settingOptionHelp(command: string): Record<string, string> {
  return Object.fromEntries(
    flagged(command).map((setting) => {
      const where = setting.secret ? `${setting.env}; prefer the variable or .env` : setting.env;
      return [setting.flag, `${`--${setting.flag} ${setting.value}`.padEnd(14)} ${setting.help} (default: ${where})`];
    }),
  );
}

/** The settings of the project folder `--dir` names (default: the current folder), the command's flags on top. */
export function cliSettings(command: string, values: OptionValues, io: CommandIo): Settings {
  const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
  const given = Object.fromEntries(flagged(command).map((setting) => [setting.id, typeof values[setting.flag] === 'string' ? (values[setting.flag] as string) : undefined]));
  return resolveSettings({ projectDir, environment: io.environment, explicit: explicitSettings(given) });
}
