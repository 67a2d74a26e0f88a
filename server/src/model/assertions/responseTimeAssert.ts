import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, httpUrl, wholeNumber } from '../fields.js';

/** Checks that a URL answers fast enough. */
export const ResponseTimeAssert = defineAssertion({
  kind: 'ResponseTimeAssert',
  summary: 'Passes when the full HTTP response arrives within maxMs milliseconds.',
  example: 'new ResponseTimeAssert({ url: "http://localhost:8080", maxMs: 200 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `< ${spec.maxMs} ms`,
  schema: z.strictObject({
    url: httpUrl().describe('The URL to request.'),
    maxMs: wholeNumber(1, 'milliseconds').describe('The longest acceptable time for the whole response, in milliseconds.'),
    ...assertionCommonFields,
  }),
});
