/**
 * Checks that span declarations: two resources with the same name, and two resources
 * publishing the same host port.
 */
import { parsePortMapping, type PortMapping } from '../model/resources/dockerServiceResource.js';
import { propertyOf, type ResourceNode, type TextRange, type TextSource } from './parsedDocument.js';
import { positionAt } from './textPositions.js';

/** One problem found across declarations. */
export interface CrossProblem {
  range: TextRange;
  message: string;
  code: 'duplicate-name' | 'port-clash';
}

/** What the cross-declaration checks need to know of one resource. */
export interface ResourceFactsForChecks {
  kind: string;
  name: string | undefined;
  /** Start of the resource's construction. */
  start: number;
  /** The `name` value (or the class name when there is none). */
  nameRange: TextRange;
  ports: { mapping: PortMapping; range: TextRange }[];
}

/** The facts of a parsed resource. */
export function checkFacts(resource: ResourceNode): ResourceFactsForChecks {
  const args = resource.args;
  const property = args?.type === 'object' ? propertyOf(args, 'name') : undefined;
  return {
    kind: resource.kind,
    name: resource.name,
    start: resource.range.start,
    nameRange: property?.value.range ?? resource.classRange,
    ports: publishedPorts(resource),
  };
}

/** Duplicate names (each occurrence marked) and host-port clashes (each mapping marked). */
export function crossChecks(doc: TextSource, resources: readonly ResourceFactsForChecks[]): CrossProblem[] {
  return [...duplicateNames(doc, resources), ...portClashes(doc, resources)];
}

function describe(doc: TextSource, resource: ResourceFactsForChecks): string {
  return `${resource.kind} "${resource.name ?? '?'}" on line ${positionAt(doc, resource.start).line + 1}`;
}

function duplicateNames(doc: TextSource, all: readonly ResourceFactsForChecks[]): CrossProblem[] {
  const byName = new Map<string, ResourceFactsForChecks[]>();
  for (const resource of all) {
    if (resource.name === undefined) continue;
    const list = byName.get(resource.name);
    if (list) list.push(resource);
    else byName.set(resource.name, [resource]);
  }
  const problems: CrossProblem[] = [];
  for (const [name, resources] of byName) {
    if (resources.length < 2) continue;
    for (const resource of resources) {
      const others = resources.filter((other) => other !== resource).map((other) => describe(doc, other));
      problems.push({
        range: resource.nameRange,
        message: `duplicate resource name "${name}": also used by ${others.join(', ')}`,
        code: 'duplicate-name',
      });
    }
  }
  return problems;
}

/** Port mappings written literally in any array-of-strings field of a resource. */
function publishedPorts(resource: ResourceNode): { mapping: PortMapping; range: TextRange }[] {
  const args = resource.args;
  if (args?.type !== 'object') return [];
  const result: { mapping: PortMapping; range: TextRange }[] = [];
  for (const property of args.properties) {
    if (property.value.type !== 'array') continue;
    for (const element of property.value.elements) {
      if (element.type !== 'literal' || typeof element.value !== 'string') continue;
      const mapping = parsePortMapping(element.value);
      if (mapping) result.push({ mapping, range: element.range });
    }
  }
  return result;
}

/** The first host port a resource publishes, if it publishes one literally. */
export function firstHostPort(resource: ResourceNode): number | undefined {
  return publishedPorts(resource)[0]?.mapping.hostPort;
}

const ANY_ADDRESS = new Set([undefined, '0.0.0.0', '[::]']);

function clash(a: PortMapping, b: PortMapping): boolean {
  if (a.hostPort !== b.hostPort || a.protocol !== b.protocol) return false;
  return ANY_ADDRESS.has(a.hostIp) || ANY_ADDRESS.has(b.hostIp) || a.hostIp === b.hostIp;
}

interface Published {
  resource: ResourceFactsForChecks;
  mapping: PortMapping;
  range: TextRange;
}

function portClashes(doc: TextSource, all: readonly ResourceFactsForChecks[]): CrossProblem[] {
  const byPort = new Map<string, Published[]>();
  for (const resource of all) {
    for (const { mapping, range } of resource.ports) {
      const key = `${mapping.protocol}/${mapping.hostPort}`;
      const list = byPort.get(key);
      const published = { resource, mapping, range };
      if (list) list.push(published);
      else byPort.set(key, [published]);
    }
  }
  const problems: CrossProblem[] = [];
  for (const list of byPort.values()) {
    if (list.length < 2) continue;
    for (const published of list) {
      const others = list.filter((other) => other.resource !== published.resource && clash(other.mapping, published.mapping));
      if (others.length === 0) continue;
      const { hostPort, protocol } = published.mapping;
      problems.push({
        range: published.range,
        message: `host port ${hostPort}${protocol === 'udp' ? '/udp' : ''} is also published by ${[
          ...new Set(others.map((other) => describe(doc, other.resource))),
        ].join(', ')}`,
        code: 'port-clash',
      });
    }
  }
  return problems;
}
