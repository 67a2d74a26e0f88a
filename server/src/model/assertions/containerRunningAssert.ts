import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName } from '../fields.js';

/** Checks that a container is running. */
export const ContainerRunningAssert = defineAssertion({
  kind: 'ContainerRunningAssert',
  summary: 'Passes when the container is running.',
  example: 'new ContainerRunningAssert({})',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: { requires: 'containerName' } },
  label: (spec) => spec.containerName ?? '',
  schema: z.strictObject({
    containerName: optionalContainerName('Defaults to the Docker service the assertion belongs to.'),
    ...assertionCommonFields,
  }),
});
