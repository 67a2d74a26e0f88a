/**
 * What a resource asks PyInfra to do, as data. A resource definition's `deploy` and
 * `destroy` members return these descriptions; the code generator
 * (`server/src/codegen/pyinfra.ts`) turns them into PyInfra calls, so the model layer
 * never builds code. Each argument says how its value must travel: a plain literal, a word
 * PyInfra pastes into a shell command (it must be quoted), or an in-memory file.
 */

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
  | { stringIO: string };

/** The PyInfra operations Clockwork uses. */
export type PyinfraCall = 'files.put' | 'files.directory' | 'files.file' | 'docker.container' | 'server.shell';

/** One PyInfra operation for one resource. */
export interface ResourceOperation {
  /** What it does, in a word or two; the operation is named `"<Kind> <name>: <step>"`. */
  step: string;
  call: PyinfraCall;
  args: Record<string, OperationArgument>;
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
