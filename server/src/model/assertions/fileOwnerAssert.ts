import { z } from 'zod';
import { checkPath, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { accountName, assertionCommonFields, hostPath, requireOneOf } from '../fields.js';

/** Checks a path's owner, group, type and link target. */
export const FileOwnerAssert = defineAssertion({
  kind: 'FileOwnerAssert',
  summary:
    'Passes when each attribute given of the path matches: its owner, its group, its type (file, directory or symlink) and, for a symbolic link, its target. A link is checked itself, not what it points to.',
  example: 'new FileOwnerAssert({ path: "/srv/site", owner: "web", type: "directory" })',
  appliesTo: { native: ['FileResource', 'TemplateFileResource', 'DirectoryResource', 'SymlinkResource', 'GitRepoResource'], elsewhere: 'any' },
  label: (spec) => [spec.path, spec.type, spec.owner, spec.group, spec.target && `→ ${spec.target}`].filter(Boolean).join(' '),
  check: (spec, context) => {
    const type = spec.type ?? (spec.target !== undefined ? 'symlink' : undefined);
    return {
      expected: [
        type,
        spec.owner && `owner ${spec.owner}`,
        spec.group && `group ${spec.group}`,
        spec.target !== undefined && `→ ${spec.target}`,
      ]
        .filter(Boolean)
        .join(', '),
      values: { path: checkPath(spec.path, context), owner: spec.owner, group: spec.group, type, has_target: spec.target !== undefined, target: spec.target },
      attempt: sh`
if ! [ -e "$v_path" ] && ! [ -L "$v_path" ]; then cw_fail missing "$v_path does not exist"; return; fi
if [ -L "$v_path" ]; then cw_type=symlink; elif [ -d "$v_path" ]; then cw_type=directory; elif [ -f "$v_path" ]; then cw_type=file; else cw_type=other; fi
cw_act=$cw_type; cw_bad=
[ -z "$v_type" ] || [ "$cw_type" = "$v_type" ] || cw_bad="$cw_bad type"
if [ -n "$v_owner$v_group" ]; then
  cw_has stat || { cw_error 'stat is not installed on this host (needed to read the owner)'; return; }
  cw_info=$(stat -c '%U %G' -- "$v_path" 2>&1) || { cw_error "stat failed: $cw_info"; return; }
  cw_user=\${cw_info% *}; cw_grp=\${cw_info##* }
  cw_act="$cw_act, owner $cw_user, group $cw_grp"
  [ -z "$v_owner" ] || [ "$cw_user" = "$v_owner" ] || cw_bad="$cw_bad owner"
  [ -z "$v_group" ] || [ "$cw_grp" = "$v_group" ] || cw_bad="$cw_bad group"
fi
if [ -n "$v_has_target" ] && [ "$cw_type" = symlink ]; then
  cw_has readlink || { cw_error 'readlink is not installed on this host (needed to read the link target)'; return; }
  cw_to=$(readlink -- "$v_path" 2>&1) || { cw_error "readlink failed: $cw_to"; return; }
  cw_act="$cw_act → $cw_to"
  [ "$cw_to" = "$v_target" ] || cw_bad="$cw_bad target"
fi
if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "wrong$cw_bad: $cw_act"; fi`,
    };
  },
  schema: z
    .strictObject({
      path: hostPath('a path').describe('The path to check; relative paths resolve against the folder of clockwork.ts.'),
      owner: accountName('user').optional().describe('The expected owner (user name).'),
      group: accountName('group').optional().describe('The expected group name.'),
      type: z.enum(['file', 'directory', 'symlink']).optional().describe('The expected type of the path itself (a symlink is not followed).'),
      target: hostPath('a link target').optional().describe('The expected target of a symbolic link, as written in the link (implies type "symlink").'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('owner', 'group', 'type', 'target')),
});
