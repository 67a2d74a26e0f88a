/**
 * Which Testing-panel item a result belongs to. A resource with a literal name is matched by
 * that name (robust to unsaved edits that move lines); a resource whose name clockwork.ts
 * computes (built in a loop) is unknown to the static parse by name, so its results are
 * matched by where the run saw the assertion (or, for default checks, the resource) written,
 * which is inside the item's range. Every result of a run goes through `groupResults`.
 */
import * as vscode from 'vscode';
import type { WireAssertionResult } from '../../../server/src/protocol.js';
import type { TestTree } from './tree.js';

/** What a run says about one check. */
export interface CheckRef {
  resource: string;
  index: number;
  isDefault: boolean;
  /** 0-based position in clockwork.ts, when the run knew it. */
  location?: { file: string; line: number; character: number };
  /** The host of a result (a check about to run names none: it runs on each). */
  host?: string;
}

function matchesByName(tree: TestTree, leaf: vscode.TestItem, ref: CheckRef): boolean {
  const data = tree.dataOf(leaf);
  if (data?.resource !== ref.resource) return false;
  // A host item: its own host's result (any host's, for a check about to run).
  if (data.type === 'host') return (ref.isDefault ? data.index === undefined : data.index === ref.index) && (ref.host === undefined || data.host === ref.host);
  return ref.isDefault ? data.type === 'resource' : data.type === 'assertion' && data.index === ref.index;
}

function byName(tree: TestTree, leaves: readonly vscode.TestItem[], ref: CheckRef): vscode.TestItem | undefined {
  return leaves.find((leaf) => matchesByName(tree, leaf, ref));
}

/** Every leaf a check runs for (one per host at the host level). */
export function leavesFor(tree: TestTree, leaves: readonly vscode.TestItem[], ref: CheckRef): vscode.TestItem[] {
  const named = leaves.filter((leaf) => matchesByName(tree, leaf, ref));
  if (named.length > 0) return named;
  const located = byLocation(tree, leaves, ref);
  return located ? [located] : [];
}

function byLocation(tree: TestTree, leaves: readonly vscode.TestItem[], ref: CheckRef): vscode.TestItem | undefined {
  const location = ref.location;
  if (!location) return undefined;
  const position = new vscode.Position(location.line, location.character);
  // Leaves never overlap: an assertion's range, or a resource's when it has no assertions.
  return leaves.find((leaf) => {
    const data = tree.dataOf(leaf);
    if (!data || data.resource !== undefined || !leaf.range || leaf.uri?.fsPath !== location.file) return false;
    if (ref.isDefault ? data.type !== 'resource' : data.type !== 'assertion') return false;
    return leaf.range.contains(position);
  });
}

/** The leaf among `leaves` that a check belongs to, if any. */
export function leafFor(tree: TestTree, leaves: readonly vscode.TestItem[], ref: CheckRef): vscode.TestItem | undefined {
  return byName(tree, leaves, ref) ?? byLocation(tree, leaves, ref);
}

/** A result as a check reference. */
export function refOf(result: WireAssertionResult): CheckRef {
  return {
    resource: result.resource,
    index: result.assertion.index,
    isDefault: result.isDefault,
    host: result.host,
    ...(result.location ? { location: result.location } : {}),
  };
}

/** The results of a run grouped by the leaf they belong to (several per leaf: hosts, or instances of a loop). */
export function groupResults(
  tree: TestTree,
  leaves: readonly vscode.TestItem[],
  results: readonly WireAssertionResult[],
): Map<vscode.TestItem, WireAssertionResult[]> {
  const grouped = new Map<vscode.TestItem, WireAssertionResult[]>();
  for (const result of results) {
    const leaf = leafFor(tree, leaves, refOf(result));
    if (leaf) grouped.set(leaf, [...(grouped.get(leaf) ?? []), result]);
  }
  return grouped;
}
