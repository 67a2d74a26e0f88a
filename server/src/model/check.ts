/**
 * What an assertion's `check` returns: data, not a script. The model says which values a
 * check needs and what one attempt does, as a POSIX `sh` body; the code generator
 * (`server/src/codegen/checks.ts`) assigns the values with `shellQuote`, adds the shared
 * helpers, the retry loop and the result protocol. The model never builds a runnable script.
 */
import * as path from 'node:path';

/** A value a check body receives as `$v_<name>`: a string, a number, or absent (empty string in sh). */
export type CheckValue = string | number | boolean | undefined;

/** Shared sh helpers a check body may call (see codegen/checks.ts): HTTP, processes, Docker stats. */
export type CheckHelper = 'http' | 'process' | 'dockerStats';

/** A check, as data. */
export interface AssertionCheck {
  /** What passing means, in words, e.g. `status 200`. */
  expected: string;
  /** User values, each assigned (shell-quoted) to `v_<name>` before anything runs. Names: `[a-z][a-z0-9_]*`. */
  values: Record<string, CheckValue>;
  /**
   * The body of one attempt, POSIX sh: it ends by calling `cw_pass`, `cw_fail` or `cw_error`,
   * and expands user values only as `"$v_<name>"` inside double quotes, so a value is data,
   * never code.
   */
  attempt: string;
  /** Helpers the body calls. */
  helpers?: readonly CheckHelper[];
  /**
   * True when an attempt waits on something beyond the host's own files and kernel state
   * (the network, a daemon, a user's command), so it may take long: such a check starts at
   * once in a job of its own. Quick checks (reading files, /proc, the user database) run
   * their first attempt one after another in a worker, which costs the host no process per
   * check; one that is slow all the same is handed off after a moment.
   */
  waits?: boolean;
}

/**
 * A template tag for sh code: raw text (backslashes kept), where `\${` writes a literal `${`
 * (sh parameter expansion) and `${…}` without the backslash interpolates as usual.
 */
export function sh(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  return String.raw(strings, ...values).replaceAll('\\${', '${');
}

/** A path as the check uses it: relative paths resolve against the folder of clockwork.ts. */
export function checkPath(value: string, context: { projectDir: string }): string {
  return path.resolve(context.projectDir, value);
}

/** The container a container check looks at: the one named, else the resource's own container. */
export function checkContainer(
  containerName: string | undefined,
  context: { container: string | undefined; resourceName: string },
): string {
  return containerName ?? context.container ?? context.resourceName;
}
