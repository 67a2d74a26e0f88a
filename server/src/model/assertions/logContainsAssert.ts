import { z } from 'zod';
import { checkContainer, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName, regexPattern, wholeNumber } from '../fields.js';

/** Checks a container's recent log for a pattern. */
export const LogContainsAssert = defineAssertion({
  kind: 'LogContainsAssert',
  summary: "Passes when the pattern matches one of the last `lines` lines of the container's log.",
  example: 'new LogContainsAssert({ pattern: "ready to accept connections", lines: 100 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: { requires: 'containerName' } },
  label: (spec) => `/${spec.pattern}/`,
  check: (spec, context) => ({
    expected: `/${spec.pattern}/ in the last ${spec.lines} lines`,
    values: { container: checkContainer(spec.containerName, context), pattern: spec.pattern, lines: spec.lines },
    waits: true,
    attempt: sh`
if ! cw_has docker; then cw_error 'docker is not installed on this host'; return; fi
cw_out=$(docker logs --tail "$v_lines" -- "$v_container" 2>&1)
if [ $? -ne 0 ]; then cw_docker_problem "$cw_out" "$v_container"; return; fi
if [ -z "$cw_out" ]; then cw_n=0; else cw_n=$(printf '%s\n' "$cw_out" | wc -l | tr -d ' '); fi
printf '%s\n' "$cw_out" | grep -E -q -e "$v_pattern"
case $? in
  0) cw_pass "$cw_n lines searched" "matched in the last $cw_n log lines" ;;
  1) cw_fail "$cw_n lines searched" "no match in the last $cw_n log lines" ;;
  *) cw_error 'grep -E cannot use the pattern' ;;
esac`,
  }),
  schema: z.strictObject({
    pattern: regexPattern().describe('An extended regular expression (as for grep -E) to look for.'),
    lines: wholeNumber(1, 'lines').default(100).describe('How many of the most recent log lines to search.'),
    containerName: optionalContainerName('Defaults to the Docker service the assertion belongs to.'),
    ...assertionCommonFields,
  }),
});
