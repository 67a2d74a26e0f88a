import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, percent, positiveNumber, requireOneOf, text } from '../fields.js';

/** Checks how full a file system is. */
export const DiskUsageAssert = defineAssertion({
  kind: 'DiskUsageAssert',
  summary: 'Passes when the file system that holds the path is within the bounds (percent used and/or megabytes used).',
  example: 'new DiskUsageAssert({ path: "/", maxPercent: 90 })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) =>
    [spec.path, spec.maxPercent !== undefined ? `≤ ${spec.maxPercent} %` : '', spec.maxMb !== undefined ? `≤ ${spec.maxMb} MB` : '']
      .filter(Boolean)
      .join(' '),
  schema: z
    .strictObject({
      path: text('a path').describe('A path on the file system to measure, e.g. "/".'),
      maxPercent: percent().optional().describe('The highest acceptable share of the file system in use, in percent.'),
      maxMb: positiveNumber(0, 'megabytes').optional().describe('The most space that may be in use, in megabytes.'),
      ...assertionCommonFields,
    })
    .superRefine(requireOneOf('maxPercent', 'maxMb')),
});
