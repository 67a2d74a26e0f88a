import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName, regexPattern, wholeNumber } from '../fields.js';

/** Checks a container's recent log for a pattern. */
export const LogContainsAssert = defineAssertion({
  kind: 'LogContainsAssert',
  summary: "Passes when the pattern matches one of the last `lines` lines of the container's log.",
  example: 'new LogContainsAssert({ pattern: "ready to accept connections", lines: 100 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: { requires: 'containerName' } },
  label: (spec) => `/${spec.pattern}/`,
  schema: z.strictObject({
    pattern: regexPattern().describe('An extended regular expression (as for grep -E) to look for.'),
    lines: wholeNumber(1, 'lines').default(100).describe('How many of the most recent log lines to search.'),
    containerName: optionalContainerName('Defaults to the Docker service the assertion belongs to.'),
    ...assertionCommonFields,
  }),
});
