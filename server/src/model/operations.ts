/**
 * What a resource asks PyInfra to do, as data. A resource definition's `deploy` and
 * `destroy` members return these descriptions; the code generator
 * (`server/src/codegen/pyinfra.ts`) turns them into PyInfra calls, so the model layer
 * never builds code. Each argument says how its value must travel: a plain literal, a word
 * PyInfra pastes into a shell command (it must be quoted), or an in-memory file.
 */

import type { CheckValue } from './check.js';

/** A JSON value. */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

/** One argument of an operation. */
export type OperationArgument =
  /** A value passed as a Python literal. */
  | { literal: PlainValue }
  /** A string PyInfra pastes unquoted into a shell command: it is shell-quoted first. */
  | { shellWord: string }
  /** A list of such strings (e.g. docker.container's ports), each shell-quoted. */
  | { shellWords: string[] }
  /** Commands for server.shell, each given as its words: every word is shell-quoted, then joined. */
  | { shellCommands: string[][] }
  /** File content handed to PyInfra as `StringIO(...)` (no temporary file on disk). */
  | { stringIO: string }
  /** A POSIX sh script (server.shell's commands): codegen assigns its values, shell-quoted, first. */
  | { shellScript: ShellScript }
  /**
   * A value that depends on the host the operation runs on: `choices[choiceOf[host name]]`,
   * `choices[otherwise]` for hosts not named. One operation whose value differs per host
   * still runs on every host at once (PyInfra runs operations one after another).
   */
  | { byHost: { choices: PlainValue[]; choiceOf: Record<string, number>; otherwise: number } };

/** The PyInfra operations Clockwork uses. */
export type PyinfraCall =
  | 'files.put'
  | 'files.directory'
  | 'files.file'
  | 'files.template'
  | 'files.link'
  | 'git.repo'
  | 'server.user'
  | 'server.group'
  | 'apt.packages'
  | 'docker.container'
  | 'server.shell';

/**
 * A POSIX sh script as data, like an assertion's check: `script` reads each value as
 * `"$v_<name>"` (inside double quotes), and codegen assigns the values with `shellQuote`
 * before it, so a value is data, never code. A script may call `cw_kept "reason"` to say
 * that it deliberately left something in place (the result then says so).
 */
export interface ShellScript {
  /** Names: `[a-z][a-z0-9_]*`. */
  values: Record<string, CheckValue>;
  script: string;
}

/** One PyInfra operation for one resource. */
export interface ResourceOperation {
  /** What it does, in a word or two; the operation is named `"<Kind> <name>: <step>"`. */
  step: string;
  call: PyinfraCall;
  args: Record<string, OperationArgument>;
  /**
   * Run only when this script exits 0 on the host, checked when the operation's turn comes
   * (PyInfra's `_if`); otherwise the operation does nothing and reports no change.
   */
  onlyIf?: ShellScript;
}

/** The PyInfra facts a resource may ask about a host before deploy (see `ResourceDefinition.prior`). */
export type PyinfraFact = 'files.Directory' | 'server.Users' | 'server.Groups' | 'deb.DebPackages';

/**
 * One fact to gather before deploy. Without `keys` the answer is whether the fact is there
 * (e.g. the directory exists); with `keys`, which of them the fact holds (e.g. which of these
 * packages are installed).
 */
export interface PriorProbe {
  fact: PyinfraFact;
  args: Record<string, OperationArgument>;
  keys?: string[];
}

/** A probe's answer: true/false, the keys present, or null when PyInfra could not tell. */
export type PriorValue = boolean | string[] | null;

/** The answers of a resource's probes on one host, by probe name. */
export type Prior = Record<string, PriorValue>;

/** True when a probe found the thing, or could not tell (so destroy keeps it, to be safe). */
export function existedBefore(prior: Prior | undefined, probe: string): boolean {
  const value = prior?.[probe];
  return value === undefined || value === null || value === true || (Array.isArray(value) && value.length > 0);
}

/** What `deploy` may need beyond the spec. */
export interface DeployContext {
  /** Absolute folder that holds clockwork.ts. */
  projectDir: string;
  /**
   * True when an earlier apply deployed this resource with different content: resources
   * whose PyInfra operation is not declarative (a container's ports) must be recreated.
   */
  replace: boolean;
}

/** A plain literal argument. */
export const literal = (value: PlainValue): OperationArgument => ({ literal: value });
/** A string PyInfra pastes into a shell command. */
export const shellWord = (word: string): OperationArgument => ({ shellWord: word });
/** A list of strings PyInfra pastes into a shell command. */
export const shellWords = (words: readonly string[]): OperationArgument => ({ shellWords: [...words] });
/** Commands (each a list of words) for server.shell. */
export const shellCommands = (commands: readonly (readonly string[])[]): OperationArgument => ({ shellCommands: commands.map((words) => [...words]) });
/** In-memory file content. */
export const stringIO = (content: string): OperationArgument => ({ stringIO: content });

/** The value of a plain literal argument; undefined for any other kind of argument. */
export function literalValue(argument: OperationArgument | undefined): PlainValue | undefined {
  return argument && 'literal' in argument ? argument.literal : undefined;
}

/** The folder a `files.directory` operation creates; undefined for any other operation, or one that removes. */
export function folderCreatedBy(operation: { call: string; args: Readonly<Record<string, OperationArgument>> }): string | undefined {
  if (operation.call !== 'files.directory') return undefined;
  const present = operation.args['present'];
  if (present !== undefined && literalValue(present) !== true) return undefined;
  const folder = literalValue(operation.args['path']);
  return typeof folder === 'string' ? folder : undefined;
}
/** A sh script with its values (see ShellScript). */
export const shellScript = (script: ShellScript): OperationArgument => ({ shellScript: script });
