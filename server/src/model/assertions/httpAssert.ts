import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields, httpStatus, httpUrl, regexPattern } from '../fields.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** An HTTP header name (a token, RFC 9110). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Checks an HTTP answer: status, body and headers. */
export const HttpAssert = defineAssertion({
  kind: 'HttpAssert',
  summary:
    'Passes when an HTTP request (any method) answers the expected status, and its body and headers match the patterns given. Redirects are not followed.',
  example: 'new HttpAssert({ url: "http://localhost:8080/api/health", bodyPattern: "\\"status\\": *\\"ok\\"", headers: { "Content-Type": "json" } })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `${spec.method} ${spec.url} → ${spec.expectedStatus}`,
  check: (spec) => {
    const headers = Object.entries(spec.headers ?? {});
    return {
      expected: [
        `status ${spec.expectedStatus}`,
        spec.bodyPattern !== undefined && `body matches /${spec.bodyPattern}/`,
        ...headers.map(([name, pattern]) => `header ${name} matches /${pattern}/`),
      ]
        .filter(Boolean)
        .join(', '),
      values: {
        method: spec.method,
        // The URL as the schema parsed it (spaces and quotes percent-encoded, as curl needs).
        url: new URL(spec.url).href,
        status: spec.expectedStatus,
        has_body: spec.bodyPattern !== undefined,
        body: spec.bodyPattern,
        header_count: headers.length,
        ...Object.fromEntries(headers.flatMap(([name, pattern], index) => [[`header_${index}_name`, name], [`header_${index}_pattern`, pattern]])),
      },
      waits: true,
      attempt: sh`
if ! cw_has curl; then
  if ! cw_has wget; then cw_error 'neither curl nor wget is installed on this host'; return; fi
  if [ "$v_method" != GET ]; then cw_error "curl is not installed on this host (wget can only send GET, not $v_method)"; return; fi
fi
cw_dir=$(mktemp -d 2>/dev/null) || { cw_error 'mktemp is not installed on this host (needed to keep the answer)'; return; }
cw_request() {
  if cw_has curl; then
    if [ "$v_method" = HEAD ]; then set -- -I; else set -- -X "$v_method"; fi
    cw_code=$(curl -sS "$@" -o "$cw_dir/body" -D "$cw_dir/headers" --max-time "$(cw_remaining)" -w '%{http_code}' --url "$v_url" 2>"$cw_dir/err")
    [ -n "$cw_code" ] && [ "$cw_code" != 000 ] && return 0
  else
    if cw_has timeout; then timeout "$(cw_remaining)" wget -S -O "$cw_dir/body" -- "$v_url" 2>"$cw_dir/err"
    else wget -S -O "$cw_dir/body" -- "$v_url" 2>"$cw_dir/err"; fi
    sed -n 's/^ *\([A-Za-z0-9!#$%&*+.^_|~-]*:.*\)$/\1/p; s/^ *\(HTTP\/[0-9.]* .*\)$/\1/p' "$cw_dir/err" > "$cw_dir/headers"
    cw_code=$(sed -n 's/^HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$cw_dir/headers" | tail -n 1)
    [ -n "$cw_code" ] && return 0
  fi
  cw_err=$(sed -n '/./p' "$cw_dir/err" | tail -n 1)
  cw_fail 'no answer' "no answer: \${cw_err:-no response}"; return 1
}
cw_check() {
  cw_request || return
  cw_act="status $cw_code"; cw_bad=
  [ "$cw_code" = "$v_status" ] || cw_bad="answered $cw_code"
  if [ -n "$v_has_body" ] && ! grep -E -q -e "$v_body" "$cw_dir/body" 2>/dev/null; then
    cw_act="$cw_act, body does not match"; cw_bad="\${cw_bad:+$cw_bad; }the body does not match: $(head -c 200 "$cw_dir/body" 2>/dev/null)"
  fi
  cw_i=0
  while [ "$cw_i" -lt "$v_header_count" ]; do
    eval "cw_hn=\$v_header_\${cw_i}_name; cw_hp=\$v_header_\${cw_i}_pattern"
    cw_hv=$(tr -d '\r' < "$cw_dir/headers" | awk -v n="$cw_hn" 'BEGIN { n = tolower(n) } { i = index($0, ":"); if (i > 1 && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v } }')
    if [ -z "$cw_hv" ]; then
      cw_act="$cw_act, no $cw_hn header"; cw_bad="\${cw_bad:+$cw_bad; }no $cw_hn header"
    elif ! printf '%s\n' "$cw_hv" | grep -E -q -e "$cw_hp"; then
      cw_hv=$(printf '%s' "$cw_hv" | head -n 1)
      cw_act="$cw_act, $cw_hn: $cw_hv"; cw_bad="\${cw_bad:+$cw_bad; }header $cw_hn is $cw_hv"
    fi
    cw_i=$(( cw_i + 1 ))
  done
  if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "$cw_bad"; fi
}
cw_check
rm -rf "$cw_dir"`,
    };
  },
  schema: z.strictObject({
    url: httpUrl().describe('The URL to request, e.g. "http://localhost:8080/api/health".'),
    method: z.enum(METHODS).default('GET').describe('The HTTP method.'),
    expectedStatus: httpStatus().describe('The status code the URL must answer with.'),
    bodyPattern: regexPattern().optional().describe('An extended regular expression (grep -E) that must match a line of the body.'),
    headers: z
      .record(
        z.string().regex(HEADER_NAME, { error: (issue) => `expected an HTTP header name such as "Content-Type", got ${describeValue(issue.input)}` }),
        regexPattern(),
        { error: (issue) => `expected an object of header name → pattern, got ${describeValue(issue.input)}` },
      )
      .optional()
      .describe('Header patterns: each named header (any case) must be there and its value match the extended regular expression.'),
    ...assertionCommonFields,
  }),
});
