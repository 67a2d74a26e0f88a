/** The shape of a CLI command and the exit codes all commands share. */
import type { ParseArgsConfig } from 'node:util';

/** Exit codes: 0 success, 1 the work itself failed, 2 bad input, configuration or usage. */
export const ExitCode = { ok: 0, failed: 1, badInput: 2 } as const;
/** One of the exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a command writes. `stdout` is reserved for the JSON document under --json. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Set when the user pressed Ctrl-C. */
  signal: AbortSignal;
  /** The folder commands resolve relative paths against. */
  cwd: string;
  /** The environment settings are read from. */
  environment: NodeJS.ProcessEnv;
}

/** Parsed option values. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A CLI command. */
export interface Command {
  name: string;
  /** One line for --help. */
  summary: string;
  /** Usage line after `clockwork <name>`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Option help, one line each. */
  optionHelp: Record<string, string>;
  run(values: OptionValues, io: CommandIo): Promise<ExitCode>;
}

/** Options most commands take. */
export const commonOptions = {
  dir: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `--host NAME` (repeatable): limit a run to some hosts. */
export const hostOption = { host: { type: 'string', multiple: true } } as const;

/** Help text for `--host`; `what` says what the command does there, e.g. "apply only on this host". */
export function hostOptionHelp(what: string): { host: string } {
  return { host: `--host NAME    ${what} (repeat for more)` };
}

/** The hosts `--host` names, if any. */
export function selectedHosts(values: OptionValues): { hosts?: string[] } {
  return Array.isArray(values['host']) && values['host'].length > 0 ? { hosts: values['host'] } : {};
}

/** Help text for the common options. */
export const commonOptionHelp = {
  dir: '--dir DIR      the project folder holding clockwork.ts (default: the current folder)',
  json: '--json         print one JSON document on stdout and nothing else there',
};
