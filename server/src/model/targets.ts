/**
 * A resource's `targets`: what the field means and how its value is checked. Apart from host.ts,
 * so that define.ts (every resource has the field) and host.ts (a host is validated as
 * define.ts validates a concept) do not import each other: with a cycle, whichever of the two a
 * program loaded first would meet the other's constants before they exist.
 */
import { describeValue, type FieldIssue } from './errors.js';
import type { HostInstance } from './host.js';

/** The host name PyInfra gives this machine; resources without `targets` deploy there. */
export const LOCAL_HOST = '@local';

/** The documentation of the `targets` field every resource has (hover, completion, type declarations). */
export const TARGETS_DESCRIPTION =
  'The hosts this resource goes to, e.g. [web1, web2] (SshHost values). Without it, this machine (@local). Its assertions run on the same hosts.';

/** Marks the instances of every `defineHost` class, from any copy of the module. */
export const HOST_BRAND = Symbol.for('clockwork.host');

/** True for any host built by a `defineHost` class, from any copy of the module. */
export function isHost(value: unknown): value is HostInstance {
  return typeof value === 'object' && value !== null && HOST_BRAND in value;
}

/** A resource's `targets`, checked: hosts, each at most once. Problems go to `issues`. */
export function checkTargets(value: unknown, issues: FieldIssue[]): HostInstance[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: 'targets', message: `expected an array of hosts such as [web1, web2], got ${describeValue(value)}` });
    return [];
  }
  const hosts: HostInstance[] = [];
  value.forEach((item, index) => {
    if (!isHost(item)) {
      issues.push({ path: `targets.${index}`, message: `expected a host such as new SshHost({...}), got ${describeValue(item)}` });
    } else if (hosts.some((host) => host.spec.name === item.spec.name)) {
      issues.push({ path: `targets.${index}`, message: `host ${JSON.stringify(item.spec.name)} is listed twice` });
    } else {
      hosts.push(item);
    }
  });
  return hosts;
}
