import { z } from 'zod';
import { checkContainer, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName } from '../fields.js';

/** Checks that a container is running. */
export const ContainerRunningAssert = defineAssertion({
  kind: 'ContainerRunningAssert',
  summary: 'Passes when the container is running.',
  example: 'new ContainerRunningAssert({})',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: { requires: 'containerName' } },
  label: (spec) => spec.containerName ?? '',
  check: (spec, context) => ({
    expected: 'running',
    values: { container: checkContainer(spec.containerName, context) },
    waits: true,
    attempt: sh`
if ! cw_has docker; then cw_error 'docker is not installed on this host'; return; fi
cw_out=$(docker inspect --type container --format '{{.State.Status}}' -- "$v_container" 2>&1)
if [ $? -ne 0 ]; then cw_docker_problem "$cw_out" "$v_container"; return; fi
if [ "$cw_out" = running ]; then cw_pass running; else cw_fail "$cw_out" "container $v_container is $cw_out"; fi`,
  }),
  schema: z.strictObject({
    containerName: optionalContainerName('Defaults to the Docker service the assertion belongs to.'),
    ...assertionCommonFields,
  }),
});
