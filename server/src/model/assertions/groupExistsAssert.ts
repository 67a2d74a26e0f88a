import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { accountId, accountName, assertionCommonFields } from '../fields.js';

/** Checks that a group exists. */
export const GroupExistsAssert = defineAssertion({
  kind: 'GroupExistsAssert',
  summary: 'Passes when the group exists on the host (with the gid, when given).',
  example: 'new GroupExistsAssert({ group: "web" })',
  appliesTo: { native: ['GroupResource'], elsewhere: 'any' },
  label: (spec) => (spec.gid !== undefined ? `${spec.group} (gid ${spec.gid})` : spec.group),
  check: (spec) => ({
    expected: spec.gid !== undefined ? `exists, gid ${spec.gid}` : 'exists',
    values: { group: spec.group, gid: spec.gid },
    attempt: sh`
if cw_has getent; then
  cw_line=$(getent group "$v_group"); cw_rc=$?
  [ "$cw_rc" -le 2 ] || { cw_error "getent group failed (exit $cw_rc)"; return; }
elif [ -r /etc/group ]; then
  cw_line=$(awk -F: -v g="$v_group" '$1 == g { print; exit }' /etc/group)
else
  cw_error 'cannot look groups up on this host (no getent, no readable /etc/group)'; return
fi
if [ -z "$cw_line" ]; then cw_fail 'no such group' "group $v_group does not exist"; return; fi
cw_gid=$(printf '%s\n' "$cw_line" | cut -d: -f3)
cw_members=$(printf '%s\n' "$cw_line" | cut -d: -f4)
cw_act="gid $cw_gid\${cw_members:+, members $cw_members}"
if [ -z "$v_gid" ] || [ "$cw_gid" = "$v_gid" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "wrong gid: $cw_gid"; fi`,
  }),
  schema: z.strictObject({
    group: accountName('group').describe('The group name.'),
    gid: accountId('group').optional().describe('The expected numeric group id.'),
    ...assertionCommonFields,
  }),
});
