import { z } from 'zod';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields, port } from '../fields.js';

/** Checks that a port accepts connections. */
export const PortAccessibleAssert = defineAssertion({
  kind: 'PortAccessibleAssert',
  summary: 'Passes when a TCP connection to the port succeeds (for UDP: when a probe is not refused).',
  example: 'new PortAccessibleAssert({ port: 8080 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `${spec.protocol === 'udp' ? 'udp ' : ''}port ${spec.port}${spec.host === 'localhost' ? '' : ` on ${spec.host}`}`,
  schema: z.strictObject({
    port: port().describe('The port number to connect to.'),
    host: z
      .string()
      .regex(/^[A-Za-z0-9.:_-]+$/, { error: (issue) => `expected a host name or IP address, got ${describeValue(issue.input)}` })
      .default('localhost')
      .describe('The host to connect to, as seen from the target host.'),
    protocol: z.enum(['tcp', 'udp']).default('tcp').describe('The transport protocol.'),
    ...assertionCommonFields,
  }),
});
