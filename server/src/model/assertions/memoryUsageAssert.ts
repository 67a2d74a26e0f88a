import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName, positiveNumber } from '../fields.js';

/** Checks memory use of the host or a container. */
export const MemoryUsageAssert = defineAssertion({
  kind: 'MemoryUsageAssert',
  summary: 'Passes when used memory is at most maxMb: of the container on a Docker service (or the one named), else of the host.',
  example: 'new MemoryUsageAssert({ maxMb: 256 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `≤ ${spec.maxMb} MB${spec.containerName ? ` (${spec.containerName})` : ''}`,
  schema: z.strictObject({
    maxMb: positiveNumber(0, 'megabytes').describe('The most memory that may be in use, in megabytes.'),
    containerName: optionalContainerName(
      'Defaults to the Docker service the assertion belongs to; on other resources, the host is measured.',
    ),
    ...assertionCommonFields,
  }),
});
