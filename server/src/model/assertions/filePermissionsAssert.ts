import { z } from 'zod';
import { checkPath, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, hostPath, octalMode, requireOneOf, text } from '../fields.js';

/** Checks a file's mode, owner and group. */
export const FilePermissionsAssert = defineAssertion({
  kind: 'FilePermissionsAssert',
  summary: "Passes when each given attribute (mode, owner, group) of the path matches.",
  example: 'new FilePermissionsAssert({ path: "scratch/notes.md", mode: "644" })',
  appliesTo: { native: ['FileResource'], elsewhere: 'any' },
  label: (spec) => [spec.path, spec.mode, spec.owner, spec.group].filter(Boolean).join(' '),
  check: (spec, context) => ({
    expected: [spec.mode && `mode ${spec.mode}`, spec.owner && `owner ${spec.owner}`, spec.group && `group ${spec.group}`]
      .filter(Boolean)
      .join(', '),
    values: { path: checkPath(spec.path, context), mode: spec.mode, owner: spec.owner, group: spec.group },
    attempt: sh`
if ! [ -e "$v_path" ] && ! [ -L "$v_path" ]; then cw_fail missing "$v_path does not exist"; return; fi
if ! cw_has stat; then cw_error 'stat is not installed on this host'; return; fi
cw_info=$(stat -c '%a %U %G' -- "$v_path" 2>&1) || { cw_error "stat failed: $cw_info"; return; }
set -f; set -- $cw_info; set +f
cw_strip0() { cw_v=$1; while [ "\${#cw_v}" -gt 1 ] && [ "\${cw_v#0}" != "$cw_v" ]; do cw_v=\${cw_v#0}; done; printf '%s' "$cw_v"; }
cw_bad=
[ -z "$v_mode" ] || [ "$(cw_strip0 "$1")" = "$(cw_strip0 "$v_mode")" ] || cw_bad="$cw_bad mode"
[ -z "$v_owner" ] || [ "$2" = "$v_owner" ] || cw_bad="$cw_bad owner"
[ -z "$v_group" ] || [ "$3" = "$v_group" ] || cw_bad="$cw_bad group"
cw_act="mode $1, owner $2, group $3"
if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "wrong$cw_bad: $cw_act"; fi`,
  }),
  schema: z
    .strictObject({
      path: hostPath('a path').describe('The path to check; relative paths resolve against the folder of clockwork.ts.'),
      mode: octalMode().optional().describe('The expected permission bits, e.g. "644".'),
      owner: text('a user name').optional().describe('The expected owner (user name).'),
      group: text('a group name').optional().describe('The expected group name.'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('mode', 'owner', 'group')),
});
