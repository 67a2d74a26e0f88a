import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { assertionCommonFields, port } from '../fields.js';

/** Checks that something listens on a port of the host itself. */
export const PortListeningAssert = defineAssertion({
  kind: 'PortListeningAssert',
  summary:
    'Passes when a socket on the host itself listens on the port (TCP) or is bound to it (UDP), on any address. It reads the host’s socket table: it says nothing of whether the port can be reached from elsewhere (PortAccessibleAssert does).',
  example: 'new PortListeningAssert({ port: 80 })',
  appliesTo: { native: ['DockerServiceResource'], elsewhere: 'any' },
  label: (spec) => `${spec.protocol === 'udp' ? 'udp ' : ''}port ${spec.port}`,
  check: (spec) => ({
    expected: `listening on ${spec.protocol} port ${spec.port}`,
    values: { port: spec.port, protocol: spec.protocol },
    attempt: sh`
cw_hex=$(printf '%04X' "$v_port")
if [ "$v_protocol" = tcp ]; then cw_tables='/proc/net/tcp /proc/net/tcp6'; cw_state=0A; else cw_tables='/proc/net/udp /proc/net/udp6'; cw_state=07; fi
if [ -r /proc/net/tcp ]; then
  # local_address is HEXIP:HEXPORT, st 0A is LISTEN (TCP), 07 an unconnected, bound socket (UDP).
  cw_count=$(cat $cw_tables 2>/dev/null | awk -v p="$cw_hex" -v s="$cw_state" '{ n = split($2, a, ":"); if (toupper(a[n]) == p && $4 == s) c++ } END { print c + 0 }')
elif cw_has ss; then
  if [ "$v_protocol" = tcp ]; then cw_flags=-ltn; else cw_flags=-lun; fi
  cw_count=$(ss -H $cw_flags 2>/dev/null | awk -v p="$v_port" '{ n = split($4, a, ":"); if (a[n] == p) c++ } END { print c + 0 }')
elif cw_has netstat; then
  if [ "$v_protocol" = tcp ]; then cw_flags=-ltn; else cw_flags=-lun; fi
  cw_count=$(netstat $cw_flags 2>/dev/null | awk -v p="$v_port" '$1 ~ /^(tcp|udp)/ { n = split($4, a, ":"); if (a[n] == p) c++ } END { print c + 0 }')
else
  cw_error 'cannot list listening sockets on this host (no /proc/net, ss or netstat)'; return
fi
if [ "$cw_count" -gt 0 ]; then cw_pass listening "$cw_count socket(s) on $v_protocol port $v_port"
else cw_fail 'not listening' "nothing listens on $v_protocol port $v_port"; fi`,
  }),
  schema: z.strictObject({
    port: port().describe('The port number.'),
    protocol: z.enum(['tcp', 'udp']).default('tcp').describe('The transport protocol.'),
    ...assertionCommonFields,
  }),
});
