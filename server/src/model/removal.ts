/**
 * What destroy shares across resource kinds: removing a directory only when it is empty, and
 * saying why something is kept. Destroy removes what apply made and nothing else.
 */
import { sh } from './check.js';

/**
 * A sh script (for `server.shell`) that removes the directory `$v_path` only when it is
 * empty: what it still holds once the resources in it were removed, Clockwork did not make.
 */
export const REMOVE_EMPTY_DIRECTORY = sh`
if ! [ -e "$v_path" ] && ! [ -L "$v_path" ]; then exit 0; fi
if [ -L "$v_path" ] || ! [ -d "$v_path" ]; then cw_kept "kept $v_path: it is no longer a directory Clockwork made"; exit 0; fi
if rmdir -- "$v_path" 2>/dev/null; then exit 0; fi
if ! [ -w "$(dirname -- "$v_path")" ]; then echo "cannot remove $v_path: permission denied" >&2; exit 1; fi
cw_held=$(ls -A -- "$v_path" | head -n 3 | tr '\n' ' ')
cw_kept "kept $v_path: it holds files Clockwork did not make (\${cw_held% })"`;

/** Why destroy keeps something that existed before apply (or may have: the fact could not be read). */
export function keptBecause(what: string, value: unknown): string {
  return value === null || value === undefined
    ? `kept ${what}: Clockwork could not tell whether it existed before apply`
    : `kept ${what}: it existed before apply`;
}
