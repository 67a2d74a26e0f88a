/**
 * What the editor knows of hosts (`new SshHost({...})`) and of a resource's `targets`: the
 * problems of a `targets` array that can be seen in it, duplicate host names across the file,
 * and completion of host classes and of the hosts a `targets` array may name (`targets` itself
 * is a common resource field, COMMON_RESOURCE_FIELDS). A host is validated field by field like
 * any construction (validate.ts); this is what spans them.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { describeValue } from '../model/errors.js';
import { hostDefinitions } from '../model/registry.js';
import { importEdit } from './imports.js';
import { propertyOf, type HostNode, type ParsedDocument, type ResourceNode, type TextRange, type TextSource } from './parsedDocument.js';
import { conceptInfo, conceptMarkdown } from './schemaInfo.js';
import { constructionSnippet } from './snippets.js';
import { positionAt } from './textPositions.js';
import { plainValue } from './specValue.js';

/** A problem with one element of a resource's `targets`. */
export interface TargetProblem {
  range: TextRange;
  message: string;
}

/**
 * Problems visible in the `targets` array itself: not an array, or an element that is a literal
 * or another kind of construction. Elements that are variables, and a host listed twice, are
 * checked across the file (validate.ts), where the variables are known.
 */
export function targetProblems(resource: ResourceNode): TargetProblem[] {
  const property = resource.args?.type === 'object' ? propertyOf(resource.args, 'targets') : undefined;
  if (!property || property.value.type === 'unknown') return [];
  const value = property.value;
  if (value.type !== 'array') return [{ range: value.range, message: `targets: expected an array of hosts such as [web1, web2], got ${describeValue(plainValue(value))}` }];
  const problems: TargetProblem[] = [];
  value.elements.forEach((element, index) => {
    if (element.type === 'unknown' || (element.type === 'construction' && element.construction.category === 'host')) return;
    const got = element.type === 'construction' ? `a ${element.construction.kind}` : describeValue(plainValue(element));
    problems.push({ range: element.range, message: `targets.${index}: expected a host such as new SshHost({...}), got ${got}` });
  });
  return problems;
}

/** What the duplicate-name check needs to know of one host. */
export interface HostFacts {
  kind: string;
  name: string | undefined;
  start: number;
  /** The `name` value (or the class name when there is none). */
  nameRange: TextRange;
}

/** The facts of a parsed host. */
export function hostFacts(host: HostNode): HostFacts {
  const property = host.args?.type === 'object' ? propertyOf(host.args, 'name') : undefined;
  return { kind: host.kind, name: host.name, start: host.range.start, nameRange: property?.value.range ?? host.classRange };
}

/** A `targets` element that names a host: inline (its name, when literal) or through a variable. */
export interface TargetRef {
  index: number;
  range: TextRange;
  identifier?: string;
  name?: string;
}

/** What one declaration (validate.ts's unit) tells of hosts, with ranges relative to `origin`. */
export interface UnitHostFacts {
  hosts: HostFacts[];
  targets: TargetRef[];
}

/** The hosts declared in a unit and the elements of its resources' `targets`, relative to `origin`. */
export function unitHostFacts(resources: readonly ResourceNode[], hosts: readonly HostNode[], origin: number): UnitHostFacts {
  const relative = (range: TextRange): TextRange => ({ start: range.start - origin, end: range.end - origin });
  const targets: TargetRef[] = [];
  for (const resource of resources) {
    resource.targetsArray?.elements.forEach((element, index) => {
      const range = relative(element.range);
      if (element.type === 'unknown' && element.identifier) targets.push({ index, range, identifier: element.identifier });
      else if (element.type === 'construction' && element.construction.category === 'host') targets.push({ index, range, ...(element.construction.name !== undefined ? { name: element.construction.name } : {}) });
    });
  }
  return {
    hosts: hosts.map((host) => {
      const facts = hostFacts(host);
      return { ...facts, start: facts.start - origin, nameRange: relative(facts.nameRange) };
    }),
    targets,
  };
}

/**
 * A `targets` element naming a variable that holds no host, or a host listed twice. `root`
 * tells what a variable of the file holds (undefined: not a construction of this file, e.g. an
 * array or a parameter, which cannot be told).
 */
export function targetReferenceProblems(
  targets: readonly TargetRef[],
  root: (variable: string) => { category: string; kind: string; name: string | undefined } | undefined,
): TargetProblem[] {
  const problems: TargetProblem[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    let name = target.name;
    if (target.identifier !== undefined) {
      const held = root(target.identifier);
      if (!held) continue;
      if (held.category !== 'host') {
        problems.push({ range: target.range, message: `targets.${target.index}: expected a host such as new SshHost({...}), got ${target.identifier} (a ${held.kind})` });
        continue;
      }
      name = held.name;
    }
    if (name === undefined) continue;
    if (seen.has(name)) problems.push({ range: target.range, message: `targets.${target.index}: host "${name}" is listed twice` });
    seen.add(name);
  }
  return problems;
}

/** Two hosts with the same name: each occurrence is marked. */
export function duplicateHostNames(doc: TextSource, hosts: readonly HostFacts[]): { range: TextRange; message: string }[] {
  const byName = new Map<string, HostFacts[]>();
  for (const host of hosts) if (host.name !== undefined) byName.set(host.name, [...(byName.get(host.name) ?? []), host]);
  const problems: { range: TextRange; message: string }[] = [];
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    for (const host of list) {
      const others = list.filter((other) => other !== host).map((other) => `line ${positionAt(doc, other.start).line + 1}`);
      problems.push({ range: host.nameRange, message: `duplicate host name "${name}": also declared on ${others.join(', ')}; host names must be unique` });
    }
  }
  return problems;
}

/** The variables a `targets` array may name: every host assigned to a top-level-or-nested `const`, with its name. */
export function hostVariables(doc: ParsedDocument): { variable: string; host: HostNode }[] {
  const found: { variable: string; host: HostNode }[] = [];
  for (const host of doc.hosts) {
    const start = host.range.start;
    // `const web1 = new SshHost(...)`: the identifier just before `=`.
    const before = doc.text.slice(Math.max(0, start - 200), start);
    const match = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*$/.exec(before);
    if (match?.[1]) found.push({ variable: match[1], host });
  }
  return found;
}

/** Inside `targets: [ … ]`: the variables that hold hosts, those not listed yet first. */
export function hostItems(doc: ParsedDocument, resource: ResourceNode, replace: Range): CompletionItem[] {
  const listed = new Set(resource.targets.map((host) => host.name));
  return hostVariables(doc).map(({ variable, host }, position): CompletionItem => ({
    label: variable,
    kind: CompletionItemKind.Variable,
    detail: `${host.kind}${host.name !== undefined ? ` "${host.name}"` : ''}${hostLabel(host)}`,
    sortText: `${listed.has(host.name) ? 1 : 0}${String(position).padStart(3, '0')}`,
    textEdit: { range: replace, newText: variable },
  }));
}

function hostLabel(host: HostNode): string {
  if (host.args?.type !== 'object') return '';
  const parsed = host.definition.schema.safeParse(plainValue(host.args));
  return parsed.success ? ` (${host.definition.label(parsed.data)})` : '';
}

/** After `const web1 = new `: the host classes (a host is declared once and named in targets). */
export function hostClassItems(doc: ParsedDocument, replace: Range, typed: string, label: (kind: string) => string): CompletionItem[] {
  return hostDefinitions.map((definition, position): CompletionItem => {
    const edit = importEdit(doc, definition.kind);
    return {
      label: label(definition.kind),
      kind: CompletionItemKind.Class,
      detail: 'host',
      documentation: { kind: MarkupKind.Markdown, value: conceptMarkdown(conceptInfo(definition), { resource: false }) },
      sortText: String(position).padStart(3, '0'),
      filterText: typed.startsWith('new') ? `new ${definition.kind}` : definition.kind,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: replace, newText: constructionSnippet(doc, definition, undefined) },
      ...(edit ? { additionalTextEdits: [edit] } : {}),
    };
  });
}
