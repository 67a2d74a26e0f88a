import { z } from 'zod';
import { checkPath, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, hostPath, regexPattern, requireOneOf, sha256 } from '../fields.js';

/** Checks a file's content by pattern and/or digest. */
export const FileContentMatchesAssert = defineAssertion({
  kind: 'FileContentMatchesAssert',
  summary: "Passes when the pattern matches the file's content and/or its SHA-256 digest equals the one given.",
  example: 'new FileContentMatchesAssert({ path: "scratch/notes.md", pattern: "Release" })',
  appliesTo: { native: ['FileResource'], elsewhere: 'any' },
  label: (spec) => (spec.pattern !== undefined ? `/${spec.pattern}/` : `sha256 ${spec.sha256?.slice(0, 12)}…`),
  check: (spec, context) => ({
    expected: [spec.pattern !== undefined && `matches /${spec.pattern}/`, spec.sha256 && `sha256 ${spec.sha256.toLowerCase()}`]
      .filter(Boolean)
      .join(', '),
    values: {
      path: checkPath(spec.path, context),
      has_pattern: spec.pattern !== undefined,
      pattern: spec.pattern,
      sha256: spec.sha256?.toLowerCase(),
    },
    attempt: sh`
if ! [ -f "$v_path" ]; then cw_fail missing "$v_path is not a file"; return; fi
cw_bad=; cw_act=
if [ -n "$v_has_pattern" ]; then
  grep -E -q -e "$v_pattern" -- "$v_path"
  case $? in
    0) cw_act=match ;;
    1) cw_bad='the pattern does not match'
       # What is there instead: the size and the first lines (at most 3 lines, 200 bytes), line breaks as ⏎.
       cw_size=$(wc -c < "$v_path" | tr -d ' ')
       if [ "$cw_size" -eq 0 ]; then
         cw_act='an empty file'
       else
         cw_count=$(awk 'END { print NR }' "$v_path")
         cw_first=$(head -c 200 < "$v_path" | head -n 3 | awk '{ printf "%s%s", (NR > 1 ? " ⏎ " : ""), $0 }')
         cw_more=
         if [ "$cw_size" -gt 200 ] || [ "$cw_count" -gt 3 ]; then cw_more=' …'; fi
         cw_lines=lines; [ "$cw_count" -ne 1 ] || cw_lines=line
         cw_act="$cw_size bytes, $cw_count $cw_lines: \"$cw_first\"$cw_more"
       fi ;;
    *) cw_error 'grep -E could not read the file or use the pattern'; return ;;
  esac
fi
if [ -n "$v_sha256" ]; then
  if cw_has sha256sum; then cw_sum=$(sha256sum < "$v_path")
  elif cw_has shasum; then cw_sum=$(shasum -a 256 < "$v_path")
  elif cw_has openssl; then cw_sum=$(openssl dgst -sha256 -r < "$v_path")
  else cw_error 'no sha256sum, shasum or openssl on this host'; return; fi
  cw_sum=\${cw_sum%% *}
  cw_act="\${cw_act:+$cw_act, }sha256 $cw_sum"
  [ "$cw_sum" = "$v_sha256" ] || cw_bad="\${cw_bad:+$cw_bad; }the digest differs"
fi
if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "$cw_bad"; fi`,
  }),
  schema: z
    .strictObject({
      path: hostPath('a path').describe('The file to read; relative paths resolve against the folder of clockwork.ts.'),
      pattern: regexPattern().optional().describe('An extended regular expression (as for grep -E) the content must match.'),
      sha256: sha256().optional().describe('The expected SHA-256 digest of the content (64 hex digits).'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('pattern', 'sha256')),
});
