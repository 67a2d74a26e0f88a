import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { accountId, accountName, assertionCommonFields, plainAbsolutePath } from '../fields.js';

/** Checks that a user account exists, with its details. */
export const UserExistsAssert = defineAssertion({
  kind: 'UserExistsAssert',
  summary: "Passes when the user account exists on the host and each detail given (uid, groups it belongs to, home, shell) matches.",
  example: 'new UserExistsAssert({ user: "web", shell: "/usr/sbin/nologin" })',
  appliesTo: { native: ['UserResource'], elsewhere: 'any' },
  label: (spec) => spec.user,
  check: (spec) => ({
    expected: [
      'exists',
      spec.uid !== undefined && `uid ${spec.uid}`,
      spec.groups?.length && `in ${spec.groups.join(', ')}`,
      spec.home && `home ${spec.home}`,
      spec.shell && `shell ${spec.shell}`,
    ]
      .filter(Boolean)
      .join(', '),
    values: { user: spec.user, uid: spec.uid, groups: spec.groups?.join(' '), home: spec.home, shell: spec.shell },
    attempt: sh`
if cw_has getent; then
  cw_line=$(getent passwd "$v_user"); cw_rc=$?
  [ "$cw_rc" -le 2 ] || { cw_error "getent passwd failed (exit $cw_rc)"; return; }
elif [ -r /etc/passwd ]; then
  cw_line=$(awk -F: -v u="$v_user" '$1 == u { print; exit }' /etc/passwd)
else
  cw_error 'cannot look users up on this host (no getent, no readable /etc/passwd)'; return
fi
if [ -z "$cw_line" ]; then cw_fail 'no such user' "user $v_user does not exist"; return; fi
cw_uid=$(printf '%s\n' "$cw_line" | cut -d: -f3)
cw_home=$(printf '%s\n' "$cw_line" | cut -d: -f6)
cw_shell=$(printf '%s\n' "$cw_line" | cut -d: -f7)
cw_act="uid $cw_uid, home $cw_home, shell $cw_shell"; cw_bad=
[ -z "$v_uid" ] || [ "$cw_uid" = "$v_uid" ] || cw_bad="$cw_bad uid"
[ -z "$v_home" ] || [ "$cw_home" = "$v_home" ] || cw_bad="$cw_bad home"
[ -z "$v_shell" ] || [ "$cw_shell" = "$v_shell" ] || cw_bad="$cw_bad shell"
if [ -n "$v_groups" ]; then
  cw_has id || { cw_error 'id is not installed on this host (needed to list the groups of a user)'; return; }
  cw_in=$(id -Gn "$v_user" 2>&1) || { cw_error "id -Gn failed: $cw_in"; return; }
  cw_act="$cw_act, groups $cw_in"
  for cw_g in $v_groups; do
    case " $cw_in " in *" $cw_g "*) ;; *) cw_bad="$cw_bad groups" ; break ;; esac
  done
fi
if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "wrong$cw_bad: $cw_act"; fi`,
  }),
  schema: z.strictObject({
    user: accountName('user').describe('The user name.'),
    uid: accountId('user').optional().describe('The expected numeric user id.'),
    groups: z.array(accountName('group')).optional().describe('Groups the user must belong to (others are allowed).'),
    home: plainAbsolutePath('a home directory').optional().describe('The expected home directory.'),
    shell: plainAbsolutePath('a login shell').optional().describe('The expected login shell.'),
    ...assertionCommonFields,
  }),
});
