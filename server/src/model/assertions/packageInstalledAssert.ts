import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields, regexPattern } from '../fields.js';

/** Checks that a package is installed. */
export const PackageInstalledAssert = defineAssertion({
  kind: 'PackageInstalledAssert',
  summary:
    "Passes when the package is installed on the host (dpkg on Debian and Ubuntu, rpm on Red Hat and SUSE) and, when given, its version matches the pattern.",
  example: 'new PackageInstalledAssert({ package: "nginx", version: "^1\\\\.22" })',
  appliesTo: { native: ['PackageResource'], elsewhere: 'any' },
  label: (spec) => spec.package,
  check: (spec) => ({
    expected: spec.version !== undefined ? `installed, version matches /${spec.version}/` : 'installed',
    values: { package: spec.package, has_version: spec.version !== undefined, version: spec.version },
    attempt: sh`
if cw_has dpkg-query; then
  cw_out=$(dpkg-query -W -f='\${Status}|\${Version}' -- "$v_package" 2>/dev/null)
  case $cw_out in
    'install ok installed|'*) cw_ver=\${cw_out#*|} ;;
    '') cw_fail 'not installed' "$v_package is not installed"; return ;;
    *) cw_out=\${cw_out%%|*}; cw_fail "not installed ($cw_out)" "$v_package is not installed: dpkg says $cw_out"; return ;;
  esac
elif cw_has rpm && [ -d /var/lib/rpm ]; then
  cw_ver=$(rpm -q --qf '%{VERSION}-%{RELEASE}' -- "$v_package" 2>/dev/null) || { cw_fail 'not installed' "$v_package is not installed"; return; }
else
  cw_error 'neither dpkg-query nor rpm is installed on this host (no package database to ask)'; return
fi
if [ -z "$v_has_version" ] || printf '%s\n' "$cw_ver" | grep -E -q -e "$v_version"; then cw_pass "version $cw_ver"
else cw_fail "version $cw_ver" "version $cw_ver does not match"; fi`,
  }),
  schema: z.strictObject({
    package: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9+._-]*$/, { error: (issue) => `expected a package name such as "nginx", got ${describeValue(issue.input)}` })
      .describe('The package name, e.g. "nginx".'),
    version: regexPattern().optional().describe('An extended regular expression (grep -E) the installed version must match, e.g. "^1\\\\.22".'),
    ...assertionCommonFields,
  }),
});
