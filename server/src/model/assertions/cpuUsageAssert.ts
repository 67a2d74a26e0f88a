import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName, percent } from '../fields.js';

/** Checks CPU use of the host or a container. */
export const CpuUsageAssert = defineAssertion({
  kind: 'CpuUsageAssert',
  summary: 'Passes when CPU use over a short sample is at most maxPercent: of the container on a Docker service (or the one named), else of the host.',
  example: 'new CpuUsageAssert({ maxPercent: 80 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `≤ ${spec.maxPercent} %${spec.containerName ? ` (${spec.containerName})` : ''}`,
  schema: z.strictObject({
    maxPercent: percent().describe('The highest acceptable CPU use, in percent.'),
    containerName: optionalContainerName(
      'Defaults to the Docker service the assertion belongs to; on other resources, the host is measured.',
    ),
    ...assertionCommonFields,
  }),
});
