import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName, positiveNumber } from '../fields.js';

/** Checks memory use of the host or a container. */
export const MemoryUsageAssert = defineAssertion({
  kind: 'MemoryUsageAssert',
  summary: 'Passes when used memory is at most maxMb: of the container on a Docker service (or the one named), else of the host.',
  example: 'new MemoryUsageAssert({ maxMb: 256 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `≤ ${spec.maxMb} MB${spec.containerName ? ` (${spec.containerName})` : ''}`,
  check: (spec, context) => ({
    expected: `≤ ${spec.maxMb} MB`,
    values: { max: spec.maxMb, container: spec.containerName ?? context.container },
    helpers: ['dockerStats'],
    waits: true,
    attempt: sh`
if [ -n "$v_container" ]; then
  cw_docker_stat "$v_container" '{{.MemUsage}}' || return
  cw_mb=$(printf '%s\n' "$cw_stat" | awk '{ v = $1; u = v; sub(/^[0-9.]+/, "", u); f = 1 / 1048576
    if (u == "KiB" || u == "kB" || u == "KB") f = 1 / 1024; else if (u == "MiB" || u == "MB") f = 1
    else if (u == "GiB" || u == "GB") f = 1024; else if (u == "TiB" || u == "TB") f = 1048576
    printf "%.1f", (v + 0) * f }')
  cw_where="container $v_container"
elif [ -r /proc/meminfo ]; then
  cw_mb=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2; h = 1 } /^(MemFree|Buffers|Cached):/ { f += $2 }
    END { if (!h) a = f; printf "%.1f", (t - a) / 1024 }' /proc/meminfo)
  cw_where=host
elif cw_has free; then
  cw_mb=$(free -m | awk '/^Mem:/ { print $3 }'); cw_where=host
else cw_error 'cannot measure memory on this host (no /proc/meminfo, no free)'; return; fi
if cw_lt_eq "$cw_mb" "$v_max"; then cw_pass "$cw_mb MB" "$cw_where uses $cw_mb MB"
else cw_fail "$cw_mb MB" "$cw_where uses $cw_mb MB, more than $v_max MB"; fi`,
  }),
  schema: z.strictObject({
    maxMb: positiveNumber(0, 'megabytes').describe('The most memory that may be in use, in megabytes.'),
    containerName: optionalContainerName(
      'Defaults to the Docker service the assertion belongs to; on other resources, the host is measured.',
    ),
    ...assertionCommonFields,
  }),
});
