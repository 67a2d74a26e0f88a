import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, text } from '../fields.js';

/** Checks that no process of a name runs. */
export const ProcessNotRunningAssert = defineAssertion({
  kind: 'ProcessNotRunningAssert',
  summary: 'Passes when no process with this name is running on the host.',
  example: 'new ProcessNotRunningAssert({ name: "telnetd" })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => spec.name,
  check: (spec) => ({
    expected: 'none running',
    values: { name: spec.name },
    helpers: ['process'],
    attempt: sh`
cw_find_processes "$v_name" || { cw_error 'cannot list processes on this host (no /proc, pgrep or ps)'; return; }
if [ "$cw_count" -eq 0 ]; then cw_pass 0 'none running'
else cw_fail "$cw_count (pids $cw_pids)" "$cw_count running: pids $cw_pids"; fi`,
  }),
  schema: z.strictObject({
    name: text('a process name').describe('The process name that must not be running (as pgrep -x matches it).'),
    ...assertionCommonFields,
  }),
});
