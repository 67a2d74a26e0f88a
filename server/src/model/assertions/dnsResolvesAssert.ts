import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields, regexPattern } from '../fields.js';

/** Checks that a name resolves on the host. */
export const DnsResolvesAssert = defineAssertion({
  kind: 'DnsResolvesAssert',
  summary:
    "Passes when the name resolves on the host as its programs resolve it (getent ahosts: /etc/hosts, then DNS) and, when given, one of its addresses matches the pattern.",
  example: 'new DnsResolvesAssert({ name: "db.internal", addressPattern: "^10\\\\." })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => spec.name,
  check: (spec) => ({
    expected: spec.addressPattern !== undefined ? `resolves to an address matching /${spec.addressPattern}/` : 'resolves',
    values: { name: spec.name, has_pattern: spec.addressPattern !== undefined, pattern: spec.addressPattern },
    waits: true,
    attempt: sh`
cw_has getent || { cw_error 'getent is not installed on this host (needed to resolve names as its programs do)'; return; }
if cw_has timeout; then cw_out=$(timeout "$(cw_remaining)" getent ahosts "$v_name"); else cw_out=$(getent ahosts "$v_name"); fi
cw_rc=$?
case $cw_rc in
  0) ;;
  2) cw_fail 'does not resolve' "$v_name does not resolve"; return ;;
  124|143) cw_fail 'no answer' "no answer for $v_name within the timeout"; return ;;
  *) cw_error "getent ahosts failed (exit $cw_rc)"; return ;;
esac
cw_addresses=$(printf '%s\n' "$cw_out" | awk '$1 != "" && !seen[$1]++ { printf "%s%s", sep, $1; sep = " " }')
if [ -z "$v_has_pattern" ] || printf '%s\n' $cw_addresses | grep -E -q -e "$v_pattern"; then cw_pass "$cw_addresses"
else cw_fail "$cw_addresses" "no address of $v_name matches"; fi`,
  }),
  schema: z.strictObject({
    name: z
      .string()
      .max(253, { error: 'expected a host name of at most 253 characters' })
      .regex(/^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/, {
        error: (issue) => `expected a host name such as "db.internal", got ${describeValue(issue.input)}`,
      })
      .describe('The host name to resolve.'),
    addressPattern: regexPattern().optional().describe('An extended regular expression (grep -E) one of its addresses must match, e.g. "^10\\\\.".'),
    ...assertionCommonFields,
  }),
});
