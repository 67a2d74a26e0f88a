import { z } from 'zod';
import { defineResource } from '../define.js';
import { describeValue } from '../errors.js';
import { containerName, description, text } from '../fields.js';
import { literal, shellWord, shellWords, type OperationArgument, type ResourceOperation } from '../operations.js';
import type { ResourceGeneration } from '../generation.js';

/** A parsed `[ip:]hostPort:containerPort[/protocol]` port mapping. */
export interface PortMapping {
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

const PORT_MAPPING = /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):)?(\d{1,5}):(\d{1,5})(?:\/(tcp|udp))?$/;

/** Parses a port mapping, or returns undefined when it is not one. */
export function parsePortMapping(value: string): PortMapping | undefined {
  const match = PORT_MAPPING.exec(value);
  if (!match) return undefined;
  const hostPort = Number(match[2]);
  const containerPort = Number(match[3]);
  const inRange = (port: number): boolean => port >= 1 && port <= 65535;
  if (!inRange(hostPort) || !inRange(containerPort)) return undefined;
  const hostIp = match[1];
  if (hostIp && !hostIp.startsWith('[') && hostIp.split('.').some((part) => Number(part) > 255)) return undefined;
  return {
    ...(hostIp ? { hostIp } : {}),
    hostPort,
    containerPort,
    protocol: (match[4] as 'tcp' | 'udp' | undefined) ?? 'tcp',
  };
}

const VOLUME = /^[^:\s\0]+:\/[^:\0]*(?::(?:ro|rw))?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const schema = z.strictObject({
  name: containerName().describe('The container name (Docker naming rules). Unique among the resources of this file.'),
  description: description('service').describe(
    'What the service does. When image is not given, the AI picks an image (and suggests ports and envVars) from this description.',
  ),
  image: text('an image reference')
    .regex(/^[^\s\0]+$/, { error: (issue) => `expected an image reference such as "nginx:1.27", got ${describeValue(issue.input)}` })
    .optional()
    .describe('The image to run, e.g. "nginx:1.27-alpine". When omitted, the AI chooses one from the description.'),
  ports: z
    .array(
      z.string().refine((value) => parsePortMapping(value) !== undefined, {
        error: (issue) =>
          `expected a port mapping "[ip:]hostPort:containerPort[/tcp|udp]" with ports from 1 to 65535, got ${describeValue(issue.input)}`,
      }),
      { error: (issue) => `expected an array of port mappings, got ${describeValue(issue.input)}` },
    )
    .optional()
    .describe('Published ports, each "[ip:]hostPort:containerPort[/tcp|udp]", e.g. "127.0.0.1:8080:80".'),
  volumes: z
    .array(
      z.string().regex(VOLUME, {
        error: (issue) => `expected a volume "source:/target[:ro|rw]", got ${describeValue(issue.input)}`,
      }),
      { error: (issue) => `expected an array of volumes, got ${describeValue(issue.input)}` },
    )
    .optional()
    .describe('Mounted volumes, each "source:/target[:ro|rw]" (source: a host path or a volume name).'),
  networks: z
    .array(containerName(), { error: (issue) => `expected an array of network names, got ${describeValue(issue.input)}` })
    .optional()
    .describe('Docker networks the container joins.'),
  envVars: z
    .record(
      z.string().regex(ENV_NAME),
      // NUL (which a shell cannot pass on) is refused for every string field by validateSpec.
      z.string({ error: (issue) => `expected a string value, got ${describeValue(issue.input)}` }),
      {
        error: (issue) =>
          issue.code === 'invalid_key'
            ? `expected an environment variable name (letters, digits, "_", not starting with a digit), got ${describeValue(issue.input)}`
            : `expected an object of environment variables, got ${describeValue(issue.input)}`,
      },
    )
    .optional()
    .describe('Environment variables for the container, e.g. { LOG_LEVEL: "info" }.'),
  present: z.boolean().default(true).describe('Whether the container should exist (false removes it).'),
  start: z.boolean().default(true).describe('Whether the container should be running.'),
});

/** The fields the AI may choose for a service; it is asked only for those the user left out. */
const GENERATED_SERVICE_FIELDS = ['image', 'ports', 'envVars'] as const;

/** The AI picks an image (and, where none were given, ports and environment) from the description. */
const serviceGeneration: ResourceGeneration<z.output<typeof schema>> = {
  promptVersion: 1,
  request(spec) {
    const asked = GENERATED_SERVICE_FIELDS.filter((field) => spec[field] === undefined);
    const given = GENERATED_SERVICE_FIELDS.filter((field) => spec[field] !== undefined).map(
      (field) => `${field}: ${JSON.stringify(spec[field])}`,
    );
    // The answer's schema is the resource's own, cut down to the fields asked for; each is required
    // in the answer (an empty list or object says "none").
    const mask = Object.fromEntries(asked.map((field) => [field, true])) as Record<(typeof asked)[number], true>;
    return {
      output: 'structured',
      schemaName: 'docker_service',
      schema: schema.pick(mask).required(),
      system:
        'You choose Docker images and their settings for Clockwork, an infrastructure tool. Prefer official Docker Hub images ' +
        '(e.g. "nginx", "postgres", "redis") with a specific version tag, never "latest". Answer with one JSON object only.',
      prompt: [
        `Choose the Docker setup for the service ${JSON.stringify(spec.name)}.`,
        `What it does: ${spec.description?.trim() || 'not described; infer it from the name'}`,
        `Fill in: ${asked.join(', ')}.`,
        ...(asked.includes('ports')
          ? ['ports: the ports to publish, on 127.0.0.1 unless the description says otherwise, e.g. "127.0.0.1:8080:80"; [] for none.']
          : []),
        ...(asked.includes('envVars') ? ['envVars: environment variables the image needs to start; {} for none.'] : []),
        ...(given.length > 0 ? [`Already given by the user (keep your answer consistent with it): ${given.join('; ')}`] : []),
      ].join('\n'),
      maxTokens: 2_000,
    };
  },
  merge(spec, answer) {
    const ports = answer['ports'] as string[] | undefined;
    const envVars = answer['envVars'] as Record<string, string> | undefined;
    return {
      ...spec,
      image: spec.image ?? (answer['image'] as string),
      ...(spec.ports === undefined && ports && ports.length > 0 ? { ports } : {}),
      ...(spec.envVars === undefined && envVars && Object.keys(envVars).length > 0 ? { envVars } : {}),
    };
  },
};

/** A Docker container running a service. */
export const DockerServiceResource = defineResource({
  kind: 'DockerServiceResource',
  summary:
    'A Docker container running a service. Give its image, or describe the service and let the AI choose an image, ports and environment.',
  example: `new DockerServiceResource({
  name: "web",
  description: "A static web server",
  image: "nginx:1.27-alpine",
  ports: ["127.0.0.1:8080:80"],
})`,
  schema,
  identity: (spec) => ({ type: 'container', id: spec.name }),
  openFields: (spec) => (spec.image === undefined ? ['image'] : []),
  // The seed's default check: the container runs (when it should).
  defaultAssertions: (spec) => (spec.present && spec.start ? [{ kind: 'ContainerRunningAssert', spec: {} }] : []),
  // PyInfra's docker.container pastes every value unquoted into a shell command: all are
  // shell words. It is not declarative (changed ports on an existing container go
  // unnoticed), so a changed resource is recreated with force=True.
  deploy: (spec, context) => {
    if (!spec.present) return removeContainer(spec.name);
    if (spec.image === undefined) throw new Error(`DockerServiceResource ${spec.name}: image must be filled in before deploying`);
    const args: Record<string, OperationArgument> = {
      container: shellWord(spec.name),
      image: shellWord(spec.image),
      ports: shellWords(spec.ports ?? []),
      volumes: shellWords(spec.volumes ?? []),
      networks: shellWords(spec.networks ?? []),
      env_vars: shellWords(Object.entries(spec.envVars ?? {}).map(([key, value]) => `${key}=${value}`)),
      present: literal(true),
      start: literal(spec.start),
      ...(context.replace ? { force: literal(true) } : {}),
    };
    return [{ step: 'container', call: 'docker.container', args }];
  },
  destroy: (identity) => removeContainer(identity.id),
  generation: serviceGeneration,
});

/** `present=False` alone fails on a second run (it tries to stop a missing container); `start=False` avoids it. */
function removeContainer(name: string): ResourceOperation[] {
  return [{ step: 'remove', call: 'docker.container', args: { container: shellWord(name), present: literal(false), start: literal(false) } }];
}

/** A DockerServiceResource object. */
export type DockerServiceResource = InstanceType<typeof DockerServiceResource>;
