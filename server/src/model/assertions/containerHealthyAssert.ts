import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName } from '../fields.js';

/** Checks a container's own health check. */
export const ContainerHealthyAssert = defineAssertion({
  kind: 'ContainerHealthyAssert',
  summary: "Passes when the container's health status (its image's HEALTHCHECK) is healthy.",
  example: 'new ContainerHealthyAssert({})',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: { requires: 'containerName' } },
  label: (spec) => spec.containerName ?? '',
  schema: z.strictObject({
    containerName: optionalContainerName('Defaults to the Docker service the assertion belongs to.'),
    ...assertionCommonFields,
  }),
});
