/**
 * The Testing panel's items: one per clockwork.ts, a child per resource and a child per
 * assertion, built from the language server's static parse (`clockwork/documentModel`) and
 * replaced as the file changes. A resource on more than one host gets a host level under each
 * assertion (or under itself, for its default checks), so each host's result shows and one
 * host's checks can be run. Each item carries what runs need to know about it.
 */
import * as vscode from 'vscode';
import type { DocumentModel } from '../../../server/src/protocol.js';

/** What an item stands for. */
export interface ItemData {
  type: 'file' | 'resource' | 'assertion' | 'host';
  file: vscode.Uri;
  /** The resource's literal name; undefined when clockwork.ts computes it (e.g. in a loop). */
  resource?: string;
  /** The resource's kind. */
  kind?: string;
  /** The assertion's position in its resource's `assertions` array (a host item under an assertion too). */
  index?: number;
  /** A host item's host. */
  host?: string;
}

function rangeOf(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** A short label for a clockwork.ts: its path inside its workspace folder. */
function fileLabel(file: vscode.Uri): { label: string; description: string | undefined } {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  const label = vscode.workspace.asRelativePath(file, false);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return { label, description: multiRoot && folder ? folder.name : undefined };
}

/** The items of the Testing panel and what each stands for. */
export class TestTree {
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  /** The names the last run gave the instances of each resource whose name is computed, by item id. */
  private readonly instances = new Map<string, string[]>();
  private readonly versions = new Map<string, number>();

  constructor(private readonly controller: vscode.TestController) {}

  /** What `item` stands for. */
  dataOf(item: vscode.TestItem): ItemData | undefined {
    return this.data.get(item);
  }

  /** The item of a clockwork.ts (created when missing). */
  fileItem(file: vscode.Uri): vscode.TestItem {
    const existing = this.controller.items.get(file.toString());
    if (existing) return existing;
    const { label, description } = fileLabel(file);
    const item = this.controller.createTestItem(file.toString(), label, file);
    item.canResolveChildren = true;
    item.description = description;
    this.data.set(item, { type: 'file', file });
    this.controller.items.add(item);
    return item;
  }

  /** The item of a clockwork.ts, if there is one. */
  existingFileItem(file: vscode.Uri): vscode.TestItem | undefined {
    return this.controller.items.get(file.toString());
  }

  /** Replaces a file's children with the resources and assertions of its static parse. */
  applyModel(fileItem: vscode.TestItem, model: DocumentModel): void {
    const file = fileItem.uri as vscode.Uri;
    // An edit may change what a loop builds: the names of the last run no longer hold.
    if (this.versions.get(fileItem.id) !== model.version) this.forgetInstances(fileItem);
    this.versions.set(fileItem.id, model.version);
    const children = model.resources.map((resource, position) => {
      const key = resource.name ?? `#${position}`;
      const previous = fileItem.children.get(`${fileItem.id}/${key}`);
      const label = `${resource.kind} ${resource.name ?? '(name computed in code)'}`;
      const item = this.controller.createTestItem(`${fileItem.id}/${key}`, label, file);
      item.range = rangeOf(resource.range);
      // A computed name shows the names the last run saw.
      if (resource.name === undefined && previous) item.description = this.instances.get(item.id)?.join(', ');
      const named = resource.name !== undefined ? { resource: resource.name } : {};
      this.data.set(item, { type: 'resource', file, kind: resource.kind, ...named });
      // A host level when the resource (with a literal name) goes to more than one host.
      const hosts = resource.name !== undefined ? [...new Set(resource.hosts ?? [])] : [];
      const hostItems = (parent: vscode.TestItem, index: number | undefined): vscode.TestItem[] =>
        hosts.length < 2
          ? []
          : hosts.map((host) => {
              const child = this.controller.createTestItem(`${parent.id}/@${host}`, host, file);
              child.range = parent.range;
              this.data.set(child, { type: 'host', file, kind: resource.kind, ...named, ...(index !== undefined ? { index } : {}), host });
              return child;
            });
      const assertions = resource.assertions.map((assertion) => {
        const child = this.controller.createTestItem(`${item.id}/${assertion.index}`, `${assertion.kind}${assertion.label ? ` (${assertion.label})` : ''}`, file);
        child.range = rangeOf(assertion.range);
        this.data.set(child, { type: 'assertion', file, kind: resource.kind, ...named, index: assertion.index });
        child.children.replace(hostItems(child, assertion.index));
        return child;
      });
      // Default checks (no assertions declared): the hosts directly under the resource.
      item.children.replace(assertions.length > 0 ? assertions : hostItems(item, undefined));
      return item;
    });
    fileItem.children.replace(children);
  }

  /**
   * The run-time names of the resource a leaf belongs to: its literal name, or for a name
   * computed in code the names its instances had in the last run (undefined before one).
   */
  namesOf(leaf: vscode.TestItem): string[] | undefined {
    const data = this.data.get(leaf);
    if (data?.resource !== undefined) return [data.resource];
    const resourceItem = data?.type === 'assertion' ? leaf.parent : leaf;
    return resourceItem ? this.instances.get(resourceItem.id) : undefined;
  }

  /** Remembers (and shows) the names a run gave the instances of a resource whose name is computed. */
  setInstances(resourceItem: vscode.TestItem, names: readonly string[]): void {
    const sorted = [...new Set(names)].sort();
    this.instances.set(resourceItem.id, sorted);
    resourceItem.description = sorted.join(', ');
  }

  /** Forgets the instance names under a file item (they are learnt again by the next run). */
  forgetInstances(fileItem: vscode.TestItem): void {
    for (const id of [...this.instances.keys()]) if (id.startsWith(`${fileItem.id}/`)) this.instances.delete(id);
  }

  /** Every leaf under an item: assertions, or a resource without assertions (its default checks). */
  leaves(item: vscode.TestItem): vscode.TestItem[] {
    if (item.children.size === 0) return this.data.get(item)?.type === 'file' ? [] : [item];
    const found: vscode.TestItem[] = [];
    item.children.forEach((child) => found.push(...this.leaves(child)));
    return found;
  }

  /** The file items and every item below them. */
  all(): vscode.TestItem[] {
    const found: vscode.TestItem[] = [];
    const visit = (item: vscode.TestItem): void => {
      found.push(item);
      item.children.forEach(visit);
    };
    this.controller.items.forEach(visit);
    return found;
  }
}
