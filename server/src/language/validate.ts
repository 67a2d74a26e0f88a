/**
 * Diagnostics for a parsed clockwork.ts: the runtime's own zod schemas applied to the
 * literal parts of each declaration, plus the checks that span declarations (duplicate
 * names, host-port clashes, assertions that do not apply, missing imports).
 */
import ts from 'typescript';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { applicabilityProblem, COMMON_RESOURCE_FIELDS, validateSpec } from '../model/define.js';
import { describeValue } from '../model/errors.js';
import { assertionDefinition, conceptKinds } from '../model/registry.js';
import { checkFacts, crossChecks, type ResourceFactsForChecks } from './crossChecks.js';
import { ConstructionReader } from './constructionReader.js';
import { dependencyProblems } from './dependencies.js';
import { CLOCKWORK_MODULE, readImports, topLevelNames } from './fileScope.js';
import type { AssertionNode, Construction, ObjectValue, TextRange, TextSource } from './parsedDocument.js';
import { toRange } from './textPositions.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './featureOptions.js';
import { conceptInfo, type FieldInfo } from './schemaInfo.js';
import { locateIssue, issueRange, plainValue } from './specValue.js';
import { closestName } from './suggest.js';
import { duplicateHostNames, targetProblems, targetReferenceProblems, unitHostFacts, type UnitHostFacts } from './hosts.js';

/** The `source` of every Clockwork diagnostic. */
export const DIAGNOSTIC_SOURCE = 'clockwork';

/** Diagnostic codes (the `code` of each diagnostic). */
export const DiagnosticCode = {
  schema: 'schema',
  missingProperty: 'missing-property',
  unknownProperty: 'unknown-property',
  notAnAssertion: 'not-an-assertion',
  notApplicable: 'not-applicable',
  duplicateName: 'duplicate-name',
  notAHost: 'not-a-host',
  portClash: 'port-clash',
  missingImport: 'missing-import',
} as const;

/** What a quick fix needs, as validation finds it (offsets are added when the diagnostic is made). */
type Fix =
  | { fix: 'rename'; to: string }
  | { fix: 'replace'; text: string }
  | { fix: 'addProperty'; kind: string; name: string }
  | { fix: 'addImport'; kind: string };

/**
 * What a quick fix needs, carried in `Diagnostic.data`: the fix, and where it applies in the
 * server's own text (UTF-16 offsets, and the text found there). The range a client echoes back
 * is never used: some clients send byte columns (Neovim 0.7), and the text may have changed.
 */
export type FixData = Fix & {
  /** Offset of the diagnostic's start in the text it was computed from. */
  start: number;
  /** Offset of its end. */
  end: number;
  /** The text between them, to tell whether they still point at the same thing. */
  covered: string;
};

/** A diagnostic before positions are computed: offsets relative to its construction. */
interface RelativeDiagnostic {
  start: number;
  end: number;
  message: string;
  code: string;
  data?: Fix;
  /** TypeScript reports the same problem from the type declarations (an unknown field, a wrong type, a missing import). */
  typed?: true;
}

/** Per-construction results keyed by kind, import context and source text; survives edits elsewhere. */
export class ValidationCache {
  private entries = new Map<string, UnitResult>();
  private previous = new Map<string, UnitResult>();

  /** Cached result, or computes it. Entries unused during a whole validation are dropped. */
  get(key: string, compute: () => UnitResult): UnitResult {
    let value = this.entries.get(key) ?? this.previous.get(key);
    if (!value) value = compute();
    this.entries.set(key, value);
    return value;
  }

  /** Marks the end of one validation of the whole document. */
  endRound(): void {
    this.previous = this.entries;
    this.entries = new Map();
  }
}

/** One declaration subtree (a construction not nested in another) and what validating it found. */
interface UnitResult {
  /** Diagnostics, relative to the unit's start. */
  diagnostics: RelativeDiagnostic[];
  /** Facts of the resources in the unit, relative to its start. */
  resources: ResourceFactsForChecks[];
  /** Assertions a resource of this unit attaches through a variable. */
  references: { resourceKind: string; identifier: string }[];
  /** When the unit is an assertion: what its applicability check needs (spec undefined: cannot tell). */
  assertion: { kind: string; spec: Record<string, unknown> | undefined; classRange: TextRange } | undefined;
  /** The hosts it declares and the hosts its resource's `targets` names, relative to its start. */
  hostFacts: UnitHostFacts;
  /** The unit's own construction: what a variable holding it is. */
  root: { category: Construction['category']; kind: string; name: string | undefined } | undefined;
}

/**
 * Every diagnostic for the document. With a cache, declarations whose source text did not
 * change are not read again (only located), so an edit costs little beyond the parse.
 */
export function validate(doc: TextSource, cache?: ValidationCache, options: Pick<FeatureOptions, 'typescript'> = DEFAULT_FEATURE_OPTIONS): Diagnostic[] {
  const sourceFile = doc.sourceFile;
  const imports = readImports(sourceFile);
  const declared = topLevelNames(sourceFile);
  const context = [
    [...imports.localToKind].join(','),
    [...imports.namespaces].join(','),
    conceptKinds.filter((kind) => declared.has(kind)).join(','),
  ].join('|');
  const resolver = new ConstructionReader(sourceFile, imports, declared);
  const units: { start: number; result: UnitResult; variable: string | undefined }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && resolver.resolveClass(node.expression)) {
      const start = node.getStart(sourceFile);
      const compute = (): UnitResult => validateUnit(doc, new ConstructionReader(sourceFile, imports, declared), node, start);
      const result = cache ? cache.get(`${context}\0${sourceFile.text.slice(start, node.end)}`, compute) : compute();
      const parent = node.parent as ts.Node | undefined;
      const variable = parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
      units.push({ start, result, variable });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  cache?.endRound();

  const diagnostics: Diagnostic[] = [];
  const facts: ResourceFactsForChecks[] = [];
  const variables = new Map<string, { start: number; result: UnitResult }>();
  for (const unit of units) {
    if (unit.variable) variables.set(unit.variable, unit);
  }
  for (const { start, result } of units) {
    for (const item of result.diagnostics) {
      if (item.typed && options.typescript) continue; // TypeScript reports it already
      diagnostics.push(makeDiagnostic(doc, shift(item, start), item.message, item.code, item.data));
    }
    for (const resource of result.resources) {
      facts.push({
        ...resource,
        start: resource.start + start,
        nameRange: shift(resource.nameRange, start),
        ports: resource.ports.map((port) => ({ mapping: port.mapping, range: shift(port.range, start) })),
      });
    }
    for (const reference of result.references) {
      const target = variables.get(reference.identifier);
      const assertion = target?.result.assertion;
      if (!target || !assertion?.spec) continue;
      const definition = assertionDefinition(assertion.kind);
      const problem = definition && applicabilityProblem(definition, assertion.spec, reference.resourceKind);
      if (problem) diagnostics.push(makeDiagnostic(doc, shift(assertion.classRange, target.start), problem, DiagnosticCode.notApplicable));
    }
  }
  for (const problem of [...crossChecks(doc, facts), ...dependencyProblems(doc)]) {
    diagnostics.push(makeDiagnostic(doc, problem.range, problem.message, problem.code));
  }
  const hostsOfFile = units.flatMap(({ start, result }) => result.hostFacts.hosts.map((host) => ({ ...host, start: host.start + start, nameRange: shift(host.nameRange, start) })));
  for (const problem of duplicateHostNames(doc, hostsOfFile)) diagnostics.push(makeDiagnostic(doc, problem.range, problem.message, DiagnosticCode.duplicateName));
  for (const { start, result } of units) {
    for (const problem of targetReferenceProblems(result.hostFacts.targets, (name) => variables.get(name)?.result.root)) {
      diagnostics.push(makeDiagnostic(doc, shift(problem.range, start), problem.message, DiagnosticCode.notAHost));
    }
  }
  return diagnostics;
}

function shift(range: TextRange, by: number): TextRange {
  return { start: range.start + by, end: range.end + by };
}

function unshift(range: TextRange, by: number): TextRange {
  return { start: range.start - by, end: range.end - by };
}

/** The literal spec of an assertion for its applicability check (non-literal fields count as given). */
function applicabilitySpec(assertion: AssertionNode): Record<string, unknown> | undefined {
  if (assertion.args && assertion.args.type !== 'object') return undefined;
  if (assertion.args?.hasSpread) return undefined;
  const spec: Record<string, unknown> = {};
  for (const property of assertion.args?.properties ?? []) spec[property.name] = plainValue(property.value) ?? true;
  return spec;
}

/** Validates the constructions in one declaration subtree. */
function validateUnit(doc: TextSource, reader: ConstructionReader, node: ts.NewExpression, origin: number): UnitResult {
  reader.visit(node);
  reader.attachAssertions();
  const diagnostics: RelativeDiagnostic[] = [];
  const push: Push = (range, message, code, data, typed) => {
    diagnostics.push({ start: range.start - origin, end: range.end - origin, message, code, ...(data ? { data } : {}), ...(typed ? { typed } : {}) });
  };
  const constructions: Construction[] = [...reader.resources, ...reader.assertions, ...reader.hosts].sort((a, b) => a.range.start - b.range.start);
  for (const construction of constructions) {
    validateConstruction(construction, push);
    if (!construction.imported) {
      push(
        construction.classRange,
        `${construction.kind} is not imported from "${CLOCKWORK_MODULE}"`,
        DiagnosticCode.missingImport,
        { fix: 'addImport', kind: construction.kind },
        true,
      );
    }
  }
  const references: UnitResult['references'] = [];
  for (const resource of reader.resources) {
    for (const problem of targetProblems(resource)) push(problem.range, problem.message, DiagnosticCode.notAHost);
    for (const assertion of resource.assertions) {
      const spec = applicabilitySpec(assertion);
      const problem = spec && applicabilityProblem(assertion.definition, spec, resource.kind);
      if (problem) push(assertion.classRange, problem, DiagnosticCode.notApplicable);
    }
    for (const element of resource.assertionsArray?.elements ?? []) {
      if (element.type === 'unknown' && element.identifier) references.push({ resourceKind: resource.kind, identifier: element.identifier });
    }
  }
  const root = constructions.find((construction) => construction.range.start === origin);
  return {
    diagnostics,
    resources: reader.resources.map((resource) => {
      const facts = checkFacts(resource);
      return {
        ...facts,
        start: facts.start - origin,
        nameRange: unshift(facts.nameRange, origin),
        ports: facts.ports.map((port) => ({ mapping: port.mapping, range: unshift(port.range, origin) })),
      };
    }),
    references,
    hostFacts: unitHostFacts(reader.resources, reader.hosts, origin),
    root: root ? { category: root.category, kind: root.kind, name: root.category === 'assertion' ? undefined : root.name } : undefined,
    assertion:
      root?.category === 'assertion'
        ? { kind: root.kind, spec: applicabilitySpec(root), classRange: unshift(root.classRange, origin) }
        : undefined,
  };
}

function makeDiagnostic(doc: TextSource, range: TextRange, message: string, code: string, fix?: Fix): Diagnostic {
  const data: FixData | undefined = fix && { ...fix, start: range.start, end: range.end, covered: coveredText(doc.text, range) };
  return {
    range: toRange(doc, range),
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code,
    message,
    ...(data ? { data } : {}),
  };
}

/** The text of a range, shortened for a long one (its length and both ends are enough to recognise it). */
function coveredText(text: string, range: TextRange): string {
  const covered = text.slice(range.start, range.end);
  return covered.length <= 80 ? covered : `${covered.slice(0, 40)}\u0000${covered.length}\u0000${covered.slice(-40)}`;
}

/** True when `data` still describes the text at its offsets. */
export function fixStillApplies(text: string, data: FixData): boolean {
  return Number.isInteger(data.start) && Number.isInteger(data.end) && data.start >= 0 && data.end <= text.length && coveredText(text, data) === data.covered;
}

type Push = (range: TextRange, message: string, code: string, data?: Fix, typed?: true) => void;

/** The schema diagnostics of one construction. */
function validateConstruction(construction: Construction, push: Push): void {
  const args = construction.args;
  if (args === undefined || args.type === 'literal' || args.type === 'array') {
    const range = args?.range ?? construction.range;
    push(range, `${construction.kind}: expected an object of fields, got ${describeValue(args ? plainValue(args) : undefined)}`, DiagnosticCode.schema);
    return;
  }
  if (args.type !== 'object') return;
  const fields: ObjectValue =
    construction.category === 'resource'
      ? { ...args, properties: args.properties.filter((property) => !Object.hasOwn(COMMON_RESOURCE_FIELDS, property.name)) }
      : args;
  const info = conceptInfo(construction.definition);
  const result = validateSpec(construction.definition.schema, plainValue(fields));
  if (!result.ok) {
    for (const issue of result.issues) {
      const location = locateIssue(fields, issue);
      if (location.type === 'unknown') continue;
      const isUnknownProperty = issue.message === 'unknown property';
      const range = issueRange(location, isUnknownProperty);
      if (isUnknownProperty) {
        const known = [...info.fields.map((field) => field.name), ...(construction.category === 'resource' ? Object.keys(COMMON_RESOURCE_FIELDS) : [])];
        const suggestion = closestName(issue.path, known);
        push(
          range,
          `unknown property "${issue.path}" of ${construction.kind}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
          DiagnosticCode.unknownProperty,
          suggestion ? { fix: 'rename', to: suggestion } : undefined,
          true,
        );
      } else if (location.type === 'missing') {
        push(range, `${issue.path}: ${issue.message}`, DiagnosticCode.missingProperty, { fix: 'addProperty', kind: construction.kind, name: issue.path }, true);
      } else {
        const normalised = normalise(construction, fields, issue.path, location.value);
        const label = issue.path ? `${issue.path}: ` : `${construction.kind}: `;
        const typed = typeMismatch(info.field(issue.path), location.value) ? true : undefined;
        push(range, `${label}${issue.message}`, DiagnosticCode.schema, normalised ? { fix: 'replace', text: normalised } : undefined, typed);
      }
    }
  }
  if (construction.category === 'resource') checkAssertionElements(construction, push);
}

function checkAssertionElements(
  resource: Extract<Construction, { category: 'resource' }>,
  push: (range: TextRange, message: string, code: string) => void,
): void {
  const property = resource.args?.type === 'object' ? resource.args.properties.find((p) => p.name === 'assertions') : undefined;
  if (!property) return;
  const value = property.value;
  if (value.type === 'unknown') return;
  if (value.type !== 'array') {
    push(value.range, `assertions: expected an array of assertions, got ${describeValue(plainValue(value))}`, DiagnosticCode.notAnAssertion);
    return;
  }
  value.elements.forEach((element, index) => {
    if (element.type === 'unknown') return;
    if (element.type === 'construction' && element.construction.category === 'assertion') return;
    const got = element.type === 'construction' ? `a ${element.construction.kind}` : describeValue(plainValue(element));
    push(
      element.range,
      `assertions.${index}: expected an assertion such as new FileExistsAssert({...}), got ${got}`,
      DiagnosticCode.notAnAssertion,
    );
  });
}

/**
 * True when a literal's type does not fit the field's declared type, so TypeScript reports it
 * from the declarations too: a string for a number, a value outside a string enum. Formats,
 * ranges and other refinements are Clockwork's alone.
 */
function typeMismatch(field: FieldInfo | undefined, value: { type: string; value?: unknown }): boolean {
  if (!field || value.type !== 'literal' || value.value === undefined) return false;
  const literal = value.value;
  if (field.enumValues) return !field.enumValues.includes(literal as string | number | boolean);
  switch (field.jsonType) {
    case 'string':
      return typeof literal !== 'string';
    case 'number':
    case 'integer':
      return typeof literal !== 'number';
    case 'boolean':
      return typeof literal !== 'boolean';
    case 'array':
    case 'object':
      return true;
    default:
      return false;
  }
}

/** Symbolic permissions such as `rw-r--r--` (optionally with a leading file-type character). */
const SYMBOLIC_MODE = /^[-dlcbps]?([r-][w-][xsStT-]){3}$/;

/** Octal digits for a symbolic mode, e.g. `rw-r--r--` → `644`. */
export function symbolicToOctal(mode: string): string | undefined {
  if (!SYMBOLIC_MODE.test(mode)) return undefined;
  const bits = mode.slice(-9);
  let digits = '';
  for (let group = 0; group < 3; group++) {
    const [r, w, x] = bits.slice(group * 3, group * 3 + 3);
    digits += String((r === 'r' ? 4 : 0) + (w === 'w' ? 2 : 0) + (x === 'x' || x === 's' || x === 't' ? 1 : 0));
  }
  return digits;
}

/**
 * A replacement text that makes the field valid, when the value is recognisably a known
 * notation of the same thing (today: symbolic permissions for an octal mode). Checked
 * against the schema, so it only fires where the schema accepts the normalised form.
 */
function normalise(construction: Construction, fields: ObjectValue, path: string, value: { type: string; value?: unknown }): string | undefined {
  if (value.type !== 'literal' || typeof value.value !== 'string' || path === '' || path.includes('.')) return undefined;
  const candidate = symbolicToOctal(value.value);
  if (candidate === undefined) return undefined;
  const spec = plainValue(fields) as Record<string, unknown>;
  spec[path] = candidate;
  const result = validateSpec(construction.definition.schema, spec);
  if (!result.ok && result.issues.some((issue) => issue.path === path)) return undefined;
  return candidate;
}
