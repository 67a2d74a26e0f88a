import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, octalMode, requireOneOf, text } from '../fields.js';

/** Checks a file's mode, owner and group. */
export const FilePermissionsAssert = defineAssertion({
  kind: 'FilePermissionsAssert',
  summary: "Passes when each given attribute (mode, owner, group) of the path matches.",
  example: 'new FilePermissionsAssert({ path: "scratch/notes.md", mode: "644" })',
  appliesTo: { native: ['FileResource'], elsewhere: 'any' },
  label: (spec) => [spec.path, spec.mode, spec.owner, spec.group].filter(Boolean).join(' '),
  schema: z
    .strictObject({
      path: text('a path').describe('The path to check; relative paths resolve against the folder of clockwork.ts.'),
      mode: octalMode().optional().describe('The expected permission bits, e.g. "644".'),
      owner: text('a user name').optional().describe('The expected owner (user name).'),
      group: text('a group name').optional().describe('The expected group name.'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('mode', 'owner', 'group')),
});
