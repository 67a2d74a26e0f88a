/**
 * Reads Clockwork constructions (`new FileResource({ … })`, `new cw.PortAccessibleAssert(…)`)
 * out of a syntax tree, whole or one subtree, turning each argument into a value tree. A
 * value that is not a literal becomes `unknown`, which validation skips.
 */
import ts from 'typescript';
import { assertionDefinition, hostDefinition, resourceDefinition } from '../model/registry.js';
import { unwrap } from './fileScope.js';
import type { AssertionNode, Construction, HostNode, ImportInfo, ObjectValue, ResourceNode, TextRange, Value } from './parsedDocument.js';
import { rangeOf } from './textPositions.js';

/** Reads constructions from a file or from one subtree of it. */
export class ConstructionReader {
  readonly resources: ResourceNode[] = [];
  readonly assertions: AssertionNode[] = [];
  readonly hosts: HostNode[] = [];
  private readonly byNode = new Map<ts.NewExpression, Construction>();
  /** Variable name → the construction it is initialised with. */
  private readonly variables = new Map<string, Construction>();

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly imports: ImportInfo,
    private readonly declaredNames: ReadonlySet<string>,
  ) {}

  visit(node: ts.Node): void {
    if (ts.isNewExpression(node)) {
      const construction = this.construction(node);
      if (construction) {
        if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
          this.variables.set(node.parent.name.text, construction);
        }
      }
    }
    ts.forEachChild(node, (child) => this.visit(child));
  }

  /** Links each resource to the assertions of its `assertions` array and the hosts of its `targets`. */
  attachAssertions(): void {
    for (const resource of this.resources) {
      resource.targetsArray?.elements.forEach((element, index) => {
        const host = element.type === 'construction' ? element.construction : element.type === 'unknown' && element.identifier ? this.variables.get(element.identifier) : undefined;
        if (host?.category !== 'host') return;
        resource.targets.push(host);
        resource.targetIndexes.push(index);
      });
      const array = resource.assertionsArray;
      if (!array) continue;
      array.elements.forEach((element, index) => {
        let assertion: Construction | undefined;
        if (element.type === 'construction') assertion = element.construction;
        else if (element.type === 'unknown' && element.identifier) assertion = this.variables.get(element.identifier);
        if (assertion?.category !== 'assertion') return;
        resource.assertions.push(assertion);
        resource.assertionIndexes.push(index);
      });
    }
  }

  /** The Clockwork class a `new` expression constructs, if any. */
  resolveClass(expression: ts.Expression): { kind: string; localName: string; imported: boolean } | undefined {
    if (ts.isIdentifier(expression)) {
      const local = expression.text;
      const kind = this.imports.localToKind.get(local);
      if (kind) return { kind, localName: local, imported: true };
      if (this.declaredNames.has(local)) return undefined;
      if (resourceDefinition(local) || assertionDefinition(local) || hostDefinition(local)) return { kind: local, localName: local, imported: false };
      return undefined;
    }
    if (
      ts.isPropertyAccessExpression(expression) &&
      ts.isIdentifier(expression.expression) &&
      this.imports.namespaces.has(expression.expression.text)
    ) {
      return {
        kind: expression.name.text,
        localName: `${expression.expression.text}.${expression.name.text}`,
        imported: true,
      };
    }
    return undefined;
  }

  private construction(node: ts.NewExpression): Construction | undefined {
    const existing = this.byNode.get(node);
    if (existing) return existing;
    const resolved = this.resolveClass(node.expression);
    if (!resolved) return undefined;
    const argument = node.arguments?.[0];
    const base = {
      kind: resolved.kind,
      localName: resolved.localName,
      imported: resolved.imported,
      range: rangeOf(node, this.sourceFile),
      classRange: rangeOf(node.expression, this.sourceFile),
      args: undefined as Value | undefined,
      text: '',
    };
    base.text = this.sourceFile.text.slice(base.range.start, base.range.end);
    const resource = resourceDefinition(resolved.kind);
    const assertion = resource ? undefined : assertionDefinition(resolved.kind);
    const host = resource || assertion ? undefined : hostDefinition(resolved.kind);
    let construction: Construction;
    if (resource) {
      construction = { ...base, category: 'resource', definition: resource, name: undefined, assertionsArray: undefined, assertions: [], assertionIndexes: [], targetsArray: undefined, targets: [], targetIndexes: [] };
      this.resources.push(construction);
    } else if (assertion) {
      construction = { ...base, category: 'assertion', definition: assertion };
      this.assertions.push(construction);
    } else if (host) {
      construction = { ...base, category: 'host', definition: host, name: undefined };
      this.hosts.push(construction);
    } else {
      return undefined;
    }
    this.byNode.set(node, construction);
    construction.args = argument ? this.value(argument) : undefined;
    if (construction.category !== 'assertion' && construction.args?.type === 'object') {
      for (const property of construction.args.properties) {
        if (property.name === 'name' && property.value.type === 'literal' && typeof property.value.value === 'string') {
          construction.name = property.value.value;
        }
        if (construction.category !== 'resource' || property.value.type !== 'array') continue;
        if (property.name === 'assertions') construction.assertionsArray = property.value;
        if (property.name === 'targets') construction.targetsArray = property.value;
      }
    }
    return construction;
  }

  private value(expression: ts.Expression): Value {
    const node = unwrap(expression);
    const range = rangeOf(node, this.sourceFile);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { type: 'literal', value: node.text, range };
    if (ts.isNumericLiteral(node)) return { type: 'literal', value: Number(node.text), range };
    if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
      if (node.operator === ts.SyntaxKind.MinusToken) return { type: 'literal', value: -Number(node.operand.text), range };
      if (node.operator === ts.SyntaxKind.PlusToken) return { type: 'literal', value: Number(node.operand.text), range };
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) return { type: 'literal', value: true, range };
    if (node.kind === ts.SyntaxKind.FalseKeyword) return { type: 'literal', value: false, range };
    if (node.kind === ts.SyntaxKind.NullKeyword) return { type: 'literal', value: null, range };
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return { type: 'literal', value: undefined, range };
      return { type: 'unknown', identifier: node.text, range };
    }
    if (ts.isObjectLiteralExpression(node)) return this.objectValue(node, range);
    if (ts.isArrayLiteralExpression(node)) {
      if (node.elements.some((element) => ts.isSpreadElement(element) || ts.isOmittedExpression(element))) {
        return { type: 'unknown', range };
      }
      return { type: 'array', elements: node.elements.map((element) => this.value(element)), range };
    }
    if (ts.isNewExpression(node)) {
      const construction = this.construction(node);
      if (construction) return { type: 'construction', construction, range };
    }
    return { type: 'unknown', range };
  }

  private objectValue(node: ts.ObjectLiteralExpression, range: TextRange): ObjectValue {
    const object: ObjectValue = { type: 'object', properties: [], hasSpread: false, range };
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        object.hasSpread = true;
        continue;
      }
      const name = property.name && propertyName(property.name);
      if (name === undefined || !property.name) {
        object.hasSpread = true; // a computed name could be any field
        continue;
      }
      const nameRange = rangeOf(property.name, this.sourceFile);
      const whole = rangeOf(property, this.sourceFile);
      if (ts.isPropertyAssignment(property)) {
        object.properties.push({ name, nameRange, value: this.value(property.initializer), range: whole });
      } else {
        // Shorthand `{ path }`, methods and accessors: a value that is not a literal.
        object.properties.push({ name, nameRange, value: { type: 'unknown', range: whole }, range: whole });
      }
    }
    return object;
  }
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}
