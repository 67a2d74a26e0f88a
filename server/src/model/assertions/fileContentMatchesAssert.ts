import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, regexPattern, requireOneOf, sha256, text } from '../fields.js';

/** Checks a file's content by pattern and/or digest. */
export const FileContentMatchesAssert = defineAssertion({
  kind: 'FileContentMatchesAssert',
  summary: "Passes when the pattern matches the file's content and/or its SHA-256 digest equals the one given.",
  example: 'new FileContentMatchesAssert({ path: "scratch/notes.md", pattern: "Release" })',
  appliesTo: { native: ['FileResource'], elsewhere: 'any' },
  label: (spec) => (spec.pattern !== undefined ? `/${spec.pattern}/` : `sha256 ${spec.sha256?.slice(0, 12)}…`),
  schema: z
    .strictObject({
      path: text('a path').describe('The file to read; relative paths resolve against the folder of clockwork.ts.'),
      pattern: regexPattern().optional().describe('An extended regular expression (as for grep -E) the content must match.'),
      sha256: sha256().optional().describe('The expected SHA-256 digest of the content (64 hex digits).'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('pattern', 'sha256')),
});
