import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, text, wholeNumber } from '../fields.js';

/** Checks that enough processes of a name run. */
export const ProcessRunningAssert = defineAssertion({
  kind: 'ProcessRunningAssert',
  summary: 'Passes when at least minCount processes with this name are running on the host.',
  example: 'new ProcessRunningAssert({ name: "nginx" })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => (spec.minCount > 1 ? `${spec.name} ×${spec.minCount}` : spec.name),
  schema: z.strictObject({
    name: text('a process name').describe('The process name to look for (as pgrep -x matches it).'),
    minCount: wholeNumber(1, 'processes').default(1).describe('The fewest matching processes that must be running.'),
    ...assertionCommonFields,
  }),
});
