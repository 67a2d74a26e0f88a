/**
 * `dependsOn` in the editor: a dependency cycle is marked on each resource in it (naming the
 * whole cycle), and a value that cannot be a resource (a literal) on itself. Dependencies are
 * read from `dependsOn: [a, b]` and from `a.dependsOn.push(b)`, through the variables the
 * resources are assigned to.
 */
import ts from 'typescript';
import { dependencyCycles } from '../model/dependencies.js';
import { describeValue } from '../model/errors.js';
import { parseSourceFile } from './parse.js';
import { propertyOf, type ResourceNode, type TextRange, type TextSource } from './parsedDocument.js';
import { plainValue } from './specValue.js';

/** A problem with `dependsOn`. */
export interface DependencyProblem {
  range: TextRange;
  message: string;
  code: 'dependency-cycle' | 'not-a-resource';
}

/** The dependsOn problems of a document (none, cheaply, when it never says dependsOn). */
export function dependencyProblems(doc: TextSource): DependencyProblem[] {
  if (!doc.text.includes('dependsOn')) return [];
  const parsed = parseSourceFile('clockwork.ts', doc.sourceFile);
  const resources = parsed.resources;
  const byVariable = variablesOf(doc.sourceFile, resources);
  const edges = new Map<ResourceNode, ResourceNode[]>(resources.map((resource) => [resource, []]));
  const problems: DependencyProblem[] = [];
  const add = (from: ResourceNode | undefined, identifier: string | undefined): void => {
    const to = identifier === undefined ? undefined : byVariable.get(identifier);
    if (from && to) edges.get(from)?.push(to);
  };

  for (const resource of resources) {
    const property = resource.args?.type === 'object' ? propertyOf(resource.args, 'dependsOn') : undefined;
    if (!property) continue;
    const value = property.value;
    if (value.type === 'literal' || value.type === 'object') {
      problems.push({ range: value.range, message: `dependsOn: expected an array of resources, got ${describeValue(plainValue(value))}`, code: 'not-a-resource' });
      continue;
    }
    if (value.type !== 'array') continue;
    value.elements.forEach((element, index) => {
      if (element.type === 'unknown') add(resource, element.identifier);
      else if (element.type === 'literal' || element.type === 'object' || element.type === 'array' || element.construction.category === 'assertion') {
        const got = element.type === 'construction' ? `a ${element.construction.kind}` : describeValue(plainValue(element));
        problems.push({ range: element.range, message: `dependsOn.${index}: expected a resource such as siteDirectory, got ${got}`, code: 'not-a-resource' });
      } else edges.get(resource)?.push(element.construction as ResourceNode);
    });
  }
  for (const [variable, pushed] of pushedDependencies(doc.sourceFile)) {
    for (const identifier of pushed) add(byVariable.get(variable), identifier);
  }

  const index = new Map(resources.map((resource, position) => [resource, String(position)]));
  const cycles = dependencyCycles(resources, {
    nameOf: (resource) => index.get(resource) as string,
    dependenciesOf: (resource) => (edges.get(resource) ?? []).map((target) => index.get(target) as string),
  });
  for (const cycle of cycles) {
    const members = cycle.map((position) => resources[Number(position)] as ResourceNode);
    const path = members.map(describeResource).join(' → ');
    for (const resource of [...new Set(members)].sort((x, y) => x.range.start - y.range.start)) {
      const name = resource.args?.type === 'object' ? propertyOf(resource.args, 'name') : undefined;
      problems.push({
        range: name?.value.range ?? resource.classRange,
        message: `dependency cycle ${path} (each depends on the next); a resource cannot come after itself, so remove one of these dependsOn`,
        code: 'dependency-cycle',
      });
    }
  }
  return problems;
}

function describeResource(resource: ResourceNode): string {
  return `${resource.kind} ${resource.name !== undefined ? JSON.stringify(resource.name) : '(unnamed)'}`;
}

/** Variable name → the resource it is initialised with (`const site = new DirectoryResource(…)`). */
function variablesOf(sourceFile: ts.SourceFile, resources: readonly ResourceNode[]): Map<string, ResourceNode> {
  const byStart = new Map(resources.map((resource) => [resource.range.start, resource]));
  const variables = new Map<string, ResourceNode>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isNewExpression(node.initializer)) {
      const resource = byStart.get(node.initializer.getStart(sourceFile));
      if (resource) variables.set(node.name.text, resource);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return variables;
}

/** `x.dependsOn.push(a, b)` calls: variable → the identifiers pushed. */
function pushedDependencies(sourceFile: ts.SourceFile): Map<string, string[]> {
  const pushed = new Map<string, string[]>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'push' &&
      ts.isPropertyAccessExpression(node.expression.expression) &&
      node.expression.expression.name.text === 'dependsOn' &&
      ts.isIdentifier(node.expression.expression.expression)
    ) {
      const variable = node.expression.expression.expression.text;
      const names = node.arguments.filter(ts.isIdentifier).map((argument) => argument.text);
      pushed.set(variable, [...(pushed.get(variable) ?? []), ...names]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return pushed;
}
