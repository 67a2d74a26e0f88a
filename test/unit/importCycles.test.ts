/**
 * No module under server/src or client/src imports, at run time, a module that imports it back (directly or
 * through others). With such a cycle, whichever module a program loads first meets the other's
 * constants before they exist: the CLI bundle may work while `tsx test/bench/…` crashes with
 * "Cannot access … before initialization", depending only on import order. Type-only imports
 * vanish at run time and may form cycles.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../support/tempProject.js';

const sourceRoots = ['server/src', 'client/src'].map((folder) => path.join(repoRoot, folder));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** True when an import or export brings nothing that exists at run time. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // import './x.js': run for its effects
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const bindings = clause.namedBindings;
    return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
}

/** Each source file's run-time imports of other source files. */
function runtimeImports(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const targets: string[] = [];
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.') || typeOnly(statement)) continue;
      targets.push(path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts')));
    }
    graph.set(file, targets);
  }
  return graph;
}

/** One import path that leads from a module back to itself, for each module on a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): void => {
    const at = onPath.indexOf(file);
    if (at >= 0) {
      found.push([...onPath.slice(at), file]);
      return;
    }
    if (done.has(file) || !graph.has(file)) return;
    onPath.push(file);
    for (const target of graph.get(file) ?? []) visit(target);
    onPath.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return found;
}

describe('import cycles under server/src and client/src', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const a = path.join(repoRoot, 'a.ts');
    const b = path.join(repoRoot, 'b.ts');
    assert.equal(cycles(new Map([[a, [b]], [b, [a]]])).length, 1);
    assert.equal(cycles(new Map([[a, [b]], [b, []]])).length, 0);
  });

  it('has no run-time import cycle', () => {
    const found = cycles(runtimeImports(sourceRoots.flatMap(sourceFiles))).map((cycle) => cycle.map((file) => path.relative(repoRoot, file)).join(' → '));
    assert.deepEqual(found, [], `modules that import each other at run time:\n${found.join('\n')}`);
  });
});
