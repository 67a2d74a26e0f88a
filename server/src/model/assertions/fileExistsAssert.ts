import { z } from 'zod';
import { checkPath, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, hostPath } from '../fields.js';

/** Checks that a path exists. */
export const FileExistsAssert = defineAssertion({
  kind: 'FileExistsAssert',
  summary: 'Passes when the path exists on the target host.',
  example: 'new FileExistsAssert({ path: "scratch/notes.md" })',
  appliesTo: { native: ['FileResource'], elsewhere: 'any' },
  label: (spec) => spec.path,
  check: (spec, context) => ({
    expected: 'exists',
    values: { path: checkPath(spec.path, context) },
    attempt: sh`
if [ -e "$v_path" ] || [ -L "$v_path" ]; then cw_pass exists; else cw_fail missing "$v_path does not exist"; fi`,
  }),
  schema: z.strictObject({
    path: hostPath('a path').describe('The path to check; relative paths resolve against the folder of clockwork.ts.'),
    ...assertionCommonFields,
  }),
});
