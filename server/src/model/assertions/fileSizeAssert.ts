import { z } from 'zod';
import { checkPath, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, hostPath, orderedBounds, requireOneOf, wholeNumber } from '../fields.js';

/** Checks a file's size against bounds. */
export const FileSizeAssert = defineAssertion({
  kind: 'FileSizeAssert',
  summary: 'Passes when the size of the file is within the given bounds (in bytes).',
  example: 'new FileSizeAssert({ path: "scratch/notes.md", minBytes: 100, maxBytes: 50000 })',
  appliesTo: { native: ['FileResource'], elsewhere: 'any' },
  label: (spec) =>
    [spec.minBytes !== undefined ? `≥ ${spec.minBytes} B` : '', spec.maxBytes !== undefined ? `≤ ${spec.maxBytes} B` : '']
      .filter(Boolean)
      .join(', '),
  check: (spec, context) => ({
    expected: [spec.minBytes !== undefined && `≥ ${spec.minBytes} bytes`, spec.maxBytes !== undefined && `≤ ${spec.maxBytes} bytes`]
      .filter(Boolean)
      .join(', '),
    values: { path: checkPath(spec.path, context), min: spec.minBytes, max: spec.maxBytes },
    attempt: sh`
if ! [ -f "$v_path" ]; then cw_fail missing "$v_path is not a file"; return; fi
cw_size=$(wc -c < "$v_path" | tr -d ' ')
if [ -n "$v_min" ] && [ "$cw_size" -lt "$v_min" ]; then cw_fail "$cw_size bytes" "$cw_size bytes, fewer than $v_min"; return; fi
if [ -n "$v_max" ] && [ "$cw_size" -gt "$v_max" ]; then cw_fail "$cw_size bytes" "$cw_size bytes, more than $v_max"; return; fi
cw_pass "$cw_size bytes"`,
  }),
  schema: z
    .strictObject({
      path: hostPath('a path').describe('The file to measure; relative paths resolve against the folder of clockwork.ts.'),
      minBytes: wholeNumber(0, 'bytes').optional().describe('The smallest acceptable size, in bytes.'),
      maxBytes: wholeNumber(0, 'bytes').optional().describe('The largest acceptable size, in bytes.'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('minBytes', 'maxBytes'))
    .superRefine(orderedBounds('minBytes', 'maxBytes')),
});
