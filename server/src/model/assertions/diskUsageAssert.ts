import { z } from 'zod';
import { checkPath, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, hostPath, percent, positiveNumber, requireOneOf } from '../fields.js';

/** Checks how full a file system is. */
export const DiskUsageAssert = defineAssertion({
  kind: 'DiskUsageAssert',
  summary: 'Passes when the file system that holds the path is within the bounds (percent used and/or megabytes used).',
  example: 'new DiskUsageAssert({ path: "/", maxPercent: 90 })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) =>
    [spec.path, spec.maxPercent !== undefined ? `≤ ${spec.maxPercent} %` : '', spec.maxMb !== undefined ? `≤ ${spec.maxMb} MB` : '']
      .filter(Boolean)
      .join(' '),
  check: (spec, context) => ({
    expected: [spec.maxPercent !== undefined && `≤ ${spec.maxPercent} %`, spec.maxMb !== undefined && `≤ ${spec.maxMb} MB used`]
      .filter(Boolean)
      .join(', '),
    values: { path: checkPath(spec.path, context), max_percent: spec.maxPercent, max_mb: spec.maxMb },
    attempt: sh`
if ! [ -e "$v_path" ]; then cw_fail missing "$v_path does not exist"; return; fi
cw_out=$(df -P -k -- "$v_path" 2>&1) || { cw_error "df failed: $(printf '%s\n' "$cw_out" | tail -n 1)"; return; }
set -f; set -- $(printf '%s\n' "$cw_out" | sed -n 2p); set +f
cw_pct=$(awk -v u="$3" -v a="$4" 'BEGIN { if (u + a <= 0) { print 0; exit } p = 100 * u / (u + a); q = int(p); if (q < p) q++; print q }')
cw_mb=$(( $3 / 1024 ))
cw_act="$cw_pct % used, $cw_mb MB used"
cw_bad=
[ -z "$v_max_percent" ] || cw_lt_eq "$cw_pct" "$v_max_percent" || cw_bad="more than $v_max_percent % used"
[ -z "$v_max_mb" ] || cw_lt_eq "$cw_mb" "$v_max_mb" || cw_bad="\${cw_bad:+$cw_bad and }more than $v_max_mb MB used"
if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "$cw_bad"; fi`,
  }),
  schema: z
    .strictObject({
      path: hostPath('a path').describe('A path on the file system to measure, e.g. "/".'),
      maxPercent: percent().optional().describe('The highest acceptable share of the file system in use, in percent.'),
      maxMb: positiveNumber(0, 'megabytes').optional().describe('The most space that may be in use, in megabytes.'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('maxPercent', 'maxMb')),
});
