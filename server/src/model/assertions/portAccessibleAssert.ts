import { z } from 'zod';
import { sh } from '../check.js';
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
  check: (spec) => ({
    expected: `${spec.protocol} port ${spec.port} on ${spec.host} open`,
    values: { host: spec.host, port: spec.port, protocol: spec.protocol },
    waits: true,
    attempt: sh`
cw_t=$(cw_remaining); [ "$cw_t" -le 3 ] || cw_t=3
case $v_host in *:*) cw_h="[$v_host]" ;; *) cw_h=$v_host ;; esac
cw_flag=; [ "$v_protocol" = udp ] && cw_flag=-u
cw_tool=
if cw_has nc; then
  cw_out=$(nc $cw_flag -v -z -w "$cw_t" "$v_host" "$v_port" </dev/null 2>&1); cw_rc=$?
  case $cw_out in
    *'invalid option'*|*'nrecognized option'*|*[Uu]sage:*) ;;
    *) cw_tool=nc
       # nc -u -z fails only when an ICMP "port unreachable" answers its probe, silently.
       [ "$cw_rc" -eq 0 ] || [ -n "$cw_out" ] || cw_out=refused ;;
  esac
fi
if [ -z "$cw_tool" ] && [ "$v_protocol" = tcp ] && cw_has curl; then
  cw_tool=curl
  cw_out=$(curl -sS -o /dev/null --connect-timeout "$cw_t" -m "$cw_t" -w '\n%{time_connect}' "telnet://$cw_h:$v_port" </dev/null 2>&1); cw_rc=$?
  if [ "$cw_rc" -ne 0 ] && awk -v t="$(printf '%s\n' "$cw_out" | tail -n 1)" 'BEGIN { exit !(t + 0 > 0) }'; then cw_rc=0; fi
  case $cw_rc in 7) cw_out=refused ;; 28) cw_out='timed out' ;; esac
fi
if [ -z "$cw_tool" ] && cw_has bash; then
  cw_tool=bash
  if cw_has timeout; then cw_run='timeout'; else cw_run=; fi
  cw_out=$($cw_run \${cw_run:+"$(( cw_t + 1 ))"} bash -c 'exec 3<>"/dev/$0/$1/$2" && printf x >&3 && if [ "$0" = udp ]; then sleep 0.3 2>/dev/null || sleep 1; printf x >&3; fi' "$v_protocol" "$v_host" "$v_port" 2>&1); cw_rc=$?
  [ "$cw_rc" -ne 124 ] || cw_out='timed out'
fi
if [ -z "$cw_tool" ] && [ "$v_protocol" = tcp ] && cw_has nc; then
  # BusyBox nc has no -z: connect with nothing to send; a connection still open when
  # timeout stops it (exit 124 or 143) was made.
  cw_tool=nc
  if cw_has timeout; then cw_run='timeout'; else cw_run=; fi
  cw_out=$($cw_run \${cw_run:+"$(( cw_t + 1 ))"} nc -w "$cw_t" "$v_host" "$v_port" </dev/null 2>&1 >/dev/null); cw_rc=$?
  case $cw_rc in 124|143) cw_rc=0 ;; esac
fi
if [ -z "$cw_tool" ]; then cw_error "no tool to probe a $v_protocol port on this host (nc, curl or bash)"; return; fi
if [ "$cw_rc" -eq 0 ]; then cw_pass open "connected ($cw_tool)"; return; fi
case $cw_out in
  *efused*) cw_fail refused "$v_protocol port $v_port on $v_host refused the connection" ;;
  *'imed out'*|*imeout*) cw_fail 'timed out' "$v_protocol port $v_port on $v_host did not answer in time" ;;
  *) cw_out=$(printf '%s\n' "$cw_out" | tail -n 1); cw_fail "\${cw_out:-closed}" "$v_protocol port $v_port on $v_host is not accessible" ;;
esac`,
  }),
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
