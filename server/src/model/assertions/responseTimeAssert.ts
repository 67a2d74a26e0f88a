import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, httpUrl, wholeNumber } from '../fields.js';

/** Checks that a URL answers fast enough. */
export const ResponseTimeAssert = defineAssertion({
  kind: 'ResponseTimeAssert',
  summary: 'Passes when the full HTTP response arrives within maxMs milliseconds.',
  example: 'new ResponseTimeAssert({ url: "http://localhost:8080", maxMs: 200 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `< ${spec.maxMs} ms`,
  check: (spec) => ({
    expected: `≤ ${spec.maxMs} ms`,
    // The URL as the schema parsed it (spaces and quotes percent-encoded, as curl needs).
    values: { url: new URL(spec.url).href, max_ms: spec.maxMs },
    helpers: ['http'],
    waits: true,
    attempt: sh`
cw_http_get "$v_url" "$(cw_remaining)"
case $? in
  0) if [ -z "$cw_ms" ]; then cw_error 'cannot time a response in milliseconds on this host (no curl, date +%N or /proc/uptime)'
     elif [ "$cw_ms" -le "$v_max_ms" ]; then cw_pass "$cw_ms ms" "took $cw_ms ms"; else cw_fail "$cw_ms ms" "took $cw_ms ms"; fi ;;
  127) cw_error 'neither curl nor wget is installed on this host' ;;
  *) if [ -n "$cw_cut" ] && [ -n "$cw_ms" ]; then cw_fail "> $cw_ms ms" "no complete answer within $cw_ms ms"
     else cw_fail "$cw_err" "no answer: $cw_err"; fi ;;
esac`,
  }),
  schema: z.strictObject({
    url: httpUrl().describe('The URL to request.'),
    maxMs: wholeNumber(1, 'milliseconds').describe('The longest acceptable time for the whole response, in milliseconds.'),
    ...assertionCommonFields,
  }),
});
