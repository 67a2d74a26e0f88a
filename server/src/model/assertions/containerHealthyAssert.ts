import { z } from 'zod';
import { checkContainer, sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, optionalContainerName } from '../fields.js';

/** Checks a container's own health check. */
export const ContainerHealthyAssert = defineAssertion({
  kind: 'ContainerHealthyAssert',
  summary: "Passes when the container's health status (its image's HEALTHCHECK) is healthy.",
  example: 'new ContainerHealthyAssert({})',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: { requires: 'containerName' } },
  label: (spec) => spec.containerName ?? '',
  check: (spec, context) => ({
    expected: 'healthy',
    values: { container: checkContainer(spec.containerName, context) },
    waits: true,
    attempt: sh`
if ! cw_has docker; then cw_error 'docker is not installed on this host'; return; fi
cw_out=$(docker inspect --type container --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' -- "$v_container" 2>&1)
if [ $? -ne 0 ]; then cw_docker_problem "$cw_out" "$v_container"; return; fi
case $cw_out in
  healthy) cw_pass healthy ;;
  none) cw_fail 'no health check defined' "container $v_container has no health check" ;;
  *) cw_fail "$cw_out" "container $v_container is $cw_out" ;;
esac`,
  }),
  schema: z.strictObject({
    containerName: optionalContainerName('Defaults to the Docker service the assertion belongs to.'),
    ...assertionCommonFields,
  }),
});
