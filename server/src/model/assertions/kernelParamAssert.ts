import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields } from '../fields.js';

/** A sysctl key: dotted (`net.ipv4.ip_forward`) or slashed (`net/ipv4/conf/eth0.1/forwarding`). */
const SYSCTL_KEY = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.:@/-]*$/;

/** Checks a kernel parameter's value. */
export const KernelParamAssert = defineAssertion({
  kind: 'KernelParamAssert',
  summary:
    'Passes when the kernel parameter (a sysctl key, read from /proc/sys) has the value, compared with runs of whitespace made single spaces.',
  example: 'new KernelParamAssert({ key: "net.ipv4.ip_forward", value: 1 })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => `${spec.key} = ${spec.value}`,
  check: (spec) => ({
    expected: String(spec.value).trim().replace(/\s+/g, ' '),
    values: { key: spec.key, value: String(spec.value).trim().replace(/\s+/g, ' ') },
    attempt: sh`
case $v_key in */*) cw_rel=$v_key ;; *) cw_rel=$(printf '%s' "$v_key" | tr . /) ;; esac
if [ -d /proc/sys ]; then
  if ! [ -e "/proc/sys/$cw_rel" ]; then cw_fail 'no such key' "$v_key does not exist on this host"; return; fi
  cw_val=$(cat -- "/proc/sys/$cw_rel" 2>&1) || { cw_error "cannot read $v_key: $cw_val"; return; }
elif cw_has sysctl; then
  cw_val=$(sysctl -n -- "$v_key" 2>&1) || { cw_fail 'no such key' "sysctl: $cw_val"; return; }
else
  cw_error 'cannot read kernel parameters on this host (no /proc/sys, sysctl is not installed)'; return
fi
cw_val=$(printf '%s\n' "$cw_val" | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//')
if [ "$cw_val" = "$v_value" ]; then cw_pass "$cw_val"; else cw_fail "$cw_val" "$v_key is $cw_val"; fi`,
  }),
  schema: z.strictObject({
    key: z
      .string()
      .regex(SYSCTL_KEY, { error: (issue) => `expected a sysctl key such as "net.ipv4.ip_forward", got ${describeValue(issue.input)}` })
      .describe('The sysctl key, e.g. "net.ipv4.ip_forward" (or with slashes, as under /proc/sys).'),
    value: z
      .union([z.string(), z.number()], { error: (issue) => `expected the value as a string or number, got ${describeValue(issue.input)}` })
      .describe('The expected value, e.g. 1 or "4096 87380 6291456".'),
    ...assertionCommonFields,
  }),
});
