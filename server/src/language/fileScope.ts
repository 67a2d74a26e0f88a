/**
 * What a clockwork.ts says at its top level: how it imports Clockwork (named, aliased or as
 * a namespace), which names it declares itself, and the array it exports by default.
 */
import ts from 'typescript';
import type { ImportInfo } from './parsedDocument.js';

/** The module specifier users import Clockwork's classes from. */
export const CLOCKWORK_MODULE = 'clockwork';

/** How the file imports Clockwork. */
export function readImports(sourceFile: ts.SourceFile): ImportInfo {
  const info: ImportInfo = {
    localToKind: new Map(),
    kindToLocal: new Map(),
    namespaces: new Set(),
    declaration: undefined,
    insertAt: 0,
    quote: '"',
  };
  let quoteFound = false;
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    info.insertAt = statement.end;
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!quoteFound) {
      info.quote = sourceFile.text[statement.moduleSpecifier.getStart(sourceFile)] === "'" ? "'" : '"';
      quoteFound = true;
    }
    if (statement.moduleSpecifier.text !== CLOCKWORK_MODULE) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings) continue;
    if (ts.isNamespaceImport(bindings)) {
      info.namespaces.add(bindings.name.text);
      continue;
    }
    if (statement.importClause?.isTypeOnly) continue;
    info.declaration ??= statement;
    for (const element of bindings.elements) {
      const kind = (element.propertyName ?? element.name).text;
      info.localToKind.set(element.name.text, kind);
      info.kindToLocal.set(kind, element.name.text);
    }
  }
  if (!quoteFound) info.quote = firstStringQuote(sourceFile) ?? '"';
  return info;
}

function firstStringQuote(sourceFile: ts.SourceFile): '"' | "'" | undefined {
  let quote: '"' | "'" | undefined;
  const visit = (node: ts.Node): void => {
    if (quote) return;
    if (ts.isStringLiteral(node)) {
      quote = sourceFile.text[node.getStart(sourceFile)] === "'" ? "'" : '"';
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return quote;
}

/** The array literal `export default` gives (directly or through a variable), if any. */
export function findExportArray(sourceFile: ts.SourceFile): ts.ArrayLiteralExpression | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isExportAssignment(statement) || statement.isExportEquals) continue;
    const expression = unwrap(statement.expression);
    if (ts.isArrayLiteralExpression(expression)) return expression;
    if (ts.isIdentifier(expression)) {
      const initializer = findVariableInitializer(sourceFile, expression.text);
      if (initializer && ts.isArrayLiteralExpression(unwrap(initializer))) return unwrap(initializer) as ts.ArrayLiteralExpression;
    }
  }
  return undefined;
}

function findVariableInitializer(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
    }
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies` and `!` around an expression. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) {
      current = current.expression;
    } else if (ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** Names the file declares at its top level (a local class named like a Clockwork class shadows it). */
export function topLevelNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      }
    }
  }
  return names;
}
