import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, orderedBounds, requireOneOf, text, wholeNumber } from '../fields.js';

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
  schema: z
    .strictObject({
      path: text('a path').describe('The file to measure; relative paths resolve against the folder of clockwork.ts.'),
      minBytes: wholeNumber(0, 'bytes').optional().describe('The smallest acceptable size, in bytes.'),
      maxBytes: wholeNumber(0, 'bytes').optional().describe('The largest acceptable size, in bytes.'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('minBytes', 'maxBytes'))
    .superRefine(orderedBounds('minBytes', 'maxBytes')),
});
