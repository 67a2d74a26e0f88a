import { z } from 'zod';
import { defineResource } from '../define.js';
import { describeValue } from '../errors.js';
import { containerName, description, text } from '../fields.js';

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

const VOLUME = /^[^:\s]+:\/[^:]*(?::(?:ro|rw))?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const schema = z.strictObject({
  name: containerName().describe('The container name (Docker naming rules). Unique among the resources of this file.'),
  description: description('service').describe(
    'What the service does. When image is not given, the AI picks an image (and suggests ports and envVars) from this description.',
  ),
  image: text('an image reference')
    .regex(/^[^\s]+$/, { error: (issue) => `expected an image reference such as "nginx:1.27", got ${describeValue(issue.input)}` })
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
});

/** A DockerServiceResource object. */
export type DockerServiceResource = InstanceType<typeof DockerServiceResource>;
