import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, httpStatus, httpUrl } from '../fields.js';

/** Checks that an HTTP GET answers the expected status. */
export const HealthcheckAssert = defineAssertion({
  kind: 'HealthcheckAssert',
  summary: 'Passes when an HTTP GET of the URL answers the expected status code.',
  example: 'new HealthcheckAssert({ url: "http://localhost:8080/health", expectedStatus: 200 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `${spec.url} → ${spec.expectedStatus}`,
  check: (spec) => ({
    expected: `status ${spec.expectedStatus}`,
    // The URL as the schema parsed it (spaces and quotes percent-encoded, as curl needs).
    values: { url: new URL(spec.url).href, status: spec.expectedStatus },
    helpers: ['http'],
    waits: true,
    attempt: sh`
cw_http_get "$v_url" "$(cw_remaining)"
case $? in
  0) if [ "$cw_code" = "$v_status" ]; then cw_pass "$cw_code"; else cw_fail "$cw_code" "answered $cw_code"; fi ;;
  127) cw_error 'neither curl nor wget is installed on this host' ;;
  *) cw_fail "$cw_err" "no answer: $cw_err" ;;
esac`,
  }),
  schema: z.strictObject({
    url: httpUrl().describe('The URL to request, e.g. "http://localhost:8080/health".'),
    expectedStatus: httpStatus().describe('The status code the URL must answer with.'),
    ...assertionCommonFields,
  }),
});
