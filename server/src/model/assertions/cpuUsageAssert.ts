import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName, percent } from '../fields.js';

/** Checks CPU use of the host or a container. */
export const CpuUsageAssert = defineAssertion({
  kind: 'CpuUsageAssert',
  summary: 'Passes when CPU use over a short sample is at most maxPercent: of the container on a Docker service (or the one named), else of the host.',
  example: 'new CpuUsageAssert({ maxPercent: 80 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `≤ ${spec.maxPercent} %${spec.containerName ? ` (${spec.containerName})` : ''}`,
  check: (spec, context) => ({
    expected: `≤ ${spec.maxPercent} %`,
    values: { max: spec.maxPercent, container: spec.containerName ?? context.container },
    helpers: ['dockerStats'],
    waits: true,
    attempt: sh`
if [ -n "$v_container" ]; then
  cw_docker_stat "$v_container" '{{.CPUPerc}}' || return
  cw_pct=\${cw_stat%\%}
  cw_where="container $v_container"
elif [ -r /proc/stat ]; then
  cw_s1=$(head -n 1 /proc/stat); sleep 1; cw_s2=$(head -n 1 /proc/stat)
  cw_pct=$(printf '%s\n%s\n' "$cw_s1" "$cw_s2" | awk '{ t = 0; for (i = 2; i <= 9 && i <= NF; i++) t += $i; idle = $5 + $6
      if (NR == 1) { t1 = t; i1 = idle } else { t2 = t; i2 = idle } }
    END { d = t2 - t1; if (d <= 0) { print "0.0"; exit } printf "%.1f", 100 * (d - (i2 - i1)) / d }')
  cw_where=host
else cw_error 'cannot measure CPU use on this host (no /proc/stat)'; return; fi
if cw_lt_eq "$cw_pct" "$v_max"; then cw_pass "$cw_pct %" "$cw_where uses $cw_pct % CPU"
else cw_fail "$cw_pct %" "$cw_where uses $cw_pct % CPU, more than $v_max %"; fi`,
  }),
  schema: z.strictObject({
    maxPercent: percent().describe('The highest acceptable CPU use, in percent.'),
    containerName: optionalContainerName(
      'Defaults to the Docker service the assertion belongs to; on other resources, the host is measured.',
    ),
    ...assertionCommonFields,
  }),
});
