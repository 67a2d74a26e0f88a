/**
 * What a test run request asks for, per clockwork.ts: the leaves to report and the filters of
 * the assert run that checks them (whole file, some resources, or single assertions).
 */
import type * as vscode from 'vscode';
import type { RunOptions } from '../runner.js';
import type { TestTree } from './tree.js';

/** A selection of one file's items. */
export interface Selection {
  file: vscode.Uri;
  /** The whole file is selected. */
  all: boolean;
  /** Resources (by name) whose default checks are selected. */
  resources: Set<string>;
  /** Single assertions selected. */
  assertions: { resource: string; index: number }[];
  /** Selected leaves of resources whose name is computed and not yet known from a run: filters cannot name them. */
  computed: boolean;
  /** The hosts of the selected host items. */
  hosts: Set<string>;
  /** Every selected leaf is a host item: the run can be limited to their hosts. */
  onlyHosts: boolean;
  /** The leaves to report. */
  leaves: vscode.TestItem[];
}

/** The selections of a request (`include` undefined: every file). */
export function selectionsOf(tree: TestTree, roots: readonly vscode.TestItem[], exclude: readonly vscode.TestItem[] = []): Selection[] {
  const excluded = new Set(exclude.map((item) => item.id));
  const byFile = new Map<string, Selection>();
  for (const item of roots) {
    const data = tree.dataOf(item);
    if (!data || excluded.has(item.id)) continue;
    const key = data.file.toString();
    const selection = byFile.get(key) ?? { file: data.file, all: false, resources: new Set<string>(), assertions: [], computed: false, hosts: new Set<string>(), onlyHosts: true, leaves: [] };
    byFile.set(key, selection);
    const leaves = tree.leaves(item).filter((leaf) => !excluded.has(leaf.id));
    selection.leaves.push(...leaves);
    if (data.type === 'file' && excluded.size === 0) selection.all = true;
    for (const leaf of leaves) {
      const leafData = tree.dataOf(leaf);
      if (!leafData) continue;
      if (leafData.type === 'host' && leafData.host !== undefined) selection.hosts.add(leafData.host);
      else selection.onlyHosts = false;
      // A name computed in code is known once a run reported it (a loop's instances: several names).
      const names = tree.namesOf(leaf);
      if (!names) selection.computed = true;
      else if ((leafData.type === 'assertion' || leafData.type === 'host') && leafData.index !== undefined) {
        for (const resource of names) selection.assertions.push({ resource, index: leafData.index });
      } else for (const resource of names) selection.resources.add(resource);
    }
  }
  return [...byFile.values()];
}

/**
 * The assert run's filters for a selection. Default checks of resources without assertions
 * need the resource filter; assertions are picked one by one. A resource whose name is
 * computed cannot be named in a filter, so the whole file runs (only the selection is shown).
 */
export function runFilters(selection: Selection): Pick<RunOptions, 'resources' | 'assertions' | 'hosts'> {
  if (selection.all || selection.computed) return {};
  // Host items only (one host's checks): the run goes to those hosts alone.
  const hosts = selection.onlyHosts && selection.hosts.size > 0 ? { hosts: [...selection.hosts] } : {};
  // The same assertion picked on several hosts is asked for once.
  const assertions = [...new Map(selection.assertions.map((item) => [`${item.resource}\0${item.index}`, item])).values()];
  if (assertions.length > 0 && selection.resources.size === 0) return { assertions, ...hosts };
  if (assertions.length === 0) return { resources: [...selection.resources], ...hosts };
  return { resources: [...new Set([...selection.resources, ...assertions.map((item) => item.resource)])], ...hosts };
}
