/** The hosts a clockwork.ts declares: those in resources' `targets` and those it exports. */
import type { ResourceData } from '../../model/define.js';
import { validateSpec } from '../../model/define.js';
import { ClockworkError, ClockworkValidationError } from '../../model/errors.js';
import type { HostData, HostDefinition } from '../../model/host.js';
import type { SourceLocation } from '../../model/location.js';
import { hostDefinition } from '../../model/registry.js';
import type { LoadProblem } from './protocol.js';

/** A host as loaded. */
export interface LoadedHost {
  definition: HostDefinition;
  kind: string;
  /** Unique in the project; PyInfra's inventory name. */
  name: string;
  spec: Record<string, unknown> & { name: string };
  location: SourceLocation | undefined;
}

/**
 * Every host, once, in the order first met (targets in resource order, then exported ones).
 * One host object used by many resources is one host; two declarations with the same name are a
 * problem reported at each of them.
 */
export function loadHosts(resources: readonly ResourceData[], exported: readonly HostData[], problems: LoadProblem[]): LoadedHost[] {
  const byName = new Map<string, { host: LoadedHost; places: Set<string> }>();
  const place = (data: HostData): string => (data.location ? `line ${data.location.line}` : JSON.stringify(data.spec));
  for (const data of [...resources.flatMap((resource) => resource.targets ?? []), ...exported]) {
    const seen = byName.get(data.spec.name);
    if (seen) {
      seen.places.add(place(data));
      continue;
    }
    byName.set(data.spec.name, { host: toLoadedHost(data, problems), places: new Set([place(data)]) });
  }
  for (const [name, { host, places }] of byName) {
    if (places.size < 2) continue;
    const where = [...places].filter((text) => text.startsWith('line ')).join(', ') || 'several places';
    problems.push({
      message: `${host.kind} ${JSON.stringify(name)}: name: duplicate host name (declared at ${where}); host names must be unique`,
      ...(host.location ? { location: host.location } : {}),
    });
  }
  return [...byName.values()].map((entry) => entry.host);
}

function toLoadedHost(data: HostData, problems: LoadProblem[]): LoadedHost {
  const definition = hostDefinition(data.kind);
  if (!definition) throw new ClockworkError(`Unknown host kind ${data.kind}`);
  // Re-validate in this process: the child's data is re-checked, not trusted.
  const checked = validateSpec(definition.schema, data.spec);
  if (!checked.ok) {
    problems.push({
      message: new ClockworkValidationError(data.kind, data.spec.name, checked.issues, undefined).message,
      ...(data.location ? { location: data.location } : {}),
    });
  }
  const spec = (checked.ok ? checked.spec : data.spec) as LoadedHost['spec'];
  return { definition, kind: data.kind, name: definition.hostName(spec), spec, location: data.location };
}
