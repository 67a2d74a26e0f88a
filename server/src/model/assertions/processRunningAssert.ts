import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, text, wholeNumber } from '../fields.js';

/** Checks that enough processes of a name run. */
export const ProcessRunningAssert = defineAssertion({
  kind: 'ProcessRunningAssert',
  summary: 'Passes when at least minCount processes with this name are running on the host.',
  example: 'new ProcessRunningAssert({ name: "nginx" })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => (spec.minCount > 1 ? `${spec.name} ×${spec.minCount}` : spec.name),
  check: (spec) => ({
    expected: `≥ ${spec.minCount} running`,
    values: { name: spec.name, min: spec.minCount },
    helpers: ['process'],
    attempt: sh`
cw_find_processes "$v_name" || { cw_error 'cannot list processes on this host (no /proc, pgrep or ps)'; return; }
if [ "$cw_count" -ge "$v_min" ]; then cw_pass "$cw_count" "$cw_count running"
else cw_fail "$cw_count" "$cw_count running, fewer than $v_min"; fi`,
  }),
  schema: z.strictObject({
    name: text('a process name').describe('The process name to look for (as pgrep -x matches it).'),
    minCount: wholeNumber(1, 'processes').default(1).describe('The fewest matching processes that must be running.'),
    ...assertionCommonFields,
  }),
});
