import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, text } from '../fields.js';

/** Checks that no process of a name runs. */
export const ProcessNotRunningAssert = defineAssertion({
  kind: 'ProcessNotRunningAssert',
  summary: 'Passes when no process with this name is running on the host.',
  example: 'new ProcessNotRunningAssert({ name: "telnetd" })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => spec.name,
  schema: z.strictObject({
    name: text('a process name').describe('The process name that must not be running (as pgrep -x matches it).'),
    ...assertionCommonFields,
  }),
});
