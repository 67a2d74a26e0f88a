import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields, httpUrl } from '../fields.js';

/** Checks that an HTTP GET answers the expected status. */
export const HealthcheckAssert = defineAssertion({
  kind: 'HealthcheckAssert',
  summary: 'Passes when an HTTP GET of the URL answers the expected status code.',
  example: 'new HealthcheckAssert({ url: "http://localhost:8080/health", expectedStatus: 200 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `${spec.url} → ${spec.expectedStatus}`,
  schema: z.strictObject({
    url: httpUrl().describe('The URL to request, e.g. "http://localhost:8080/health".'),
    expectedStatus: z
      .number({ error: (issue) => `expected an HTTP status code, got ${describeValue(issue.input)}` })
      .int()
      .min(100, { error: (issue) => `expected an HTTP status code from 100 to 599, got ${describeValue(issue.input)}` })
      .max(599, { error: (issue) => `expected an HTTP status code from 100 to 599, got ${describeValue(issue.input)}` })
      .default(200)
      .describe('The status code the URL must answer with.'),
    ...assertionCommonFields,
  }),
});
