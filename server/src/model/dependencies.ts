/**
 * The dependency graph of a project's resources (`dependsOn`, by resource name): the order
 * apply deploys them in, and the cycles that make an order impossible. Used by the loader,
 * the compiler and the editor alike.
 */

/** How to read the graph from any list of items. */
export interface DependencyGraph<T> {
  nameOf(item: T): string;
  /** The names of the items `item` depends on (names not in the list are ignored). */
  dependenciesOf(item: T): readonly string[];
}

/**
 * The items ordered so that each comes after everything it depends on, and otherwise in the
 * order given (a depth-first walk that places dependencies first). Edges that would close a
 * cycle are ignored; `dependencyCycles` reports those.
 */
export function dependencyOrder<T>(items: readonly T[], graph: DependencyGraph<T>): T[] {
  const byName = new Map(items.map((item) => [graph.nameOf(item), item]));
  const state = new Map<T, 'visiting' | 'done'>();
  const ordered: T[] = [];
  const visit = (item: T): void => {
    if (state.has(item)) return;
    state.set(item, 'visiting');
    for (const name of graph.dependenciesOf(item)) {
      const dependency = byName.get(name);
      if (dependency !== undefined) visit(dependency);
    }
    state.set(item, 'done');
    ordered.push(item);
  };
  for (const item of items) visit(item);
  return ordered;
}

/**
 * Every dependency cycle: one per group of items that depend on each other (a strongly
 * connected component), as the path of names around it, first name repeated at the end
 * (`["a", "b", "a"]`). An item that depends on itself is a cycle `["a", "a"]`.
 */
export function dependencyCycles<T>(items: readonly T[], graph: DependencyGraph<T>): string[][] {
  const names = items.map((item) => graph.nameOf(item));
  const known = new Set(names);
  const edges = new Map<string, string[]>();
  for (const item of items) {
    const name = graph.nameOf(item);
    edges.set(name, [...(edges.get(name) ?? []), ...graph.dependenciesOf(item).filter((dependency) => known.has(dependency))]);
  }
  return stronglyConnected(names, edges)
    .filter((group) => group.length > 1 || (edges.get(group[0] as string) ?? []).includes(group[0] as string))
    .map((group) => cyclePath(group, edges));
}

/** Tarjan's algorithm, iterative (a deep chain must not overflow the stack); groups in first-seen order. */
function stronglyConnected(names: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const position = new Map(names.map((name, at) => [name, at]));
  const order = (a: string, b: string): number => (position.get(a) as number) - (position.get(b) as number);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const work: { name: string; next: number }[] = [{ name: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { name: string; next: number };
      const targets = edges.get(frame.name) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ name: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.name, Math.min(low.get(frame.name) as number, index.get(target) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name) as number, low.get(frame.name) as number));
      if (low.get(frame.name) === index.get(frame.name)) {
        const group: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.name);
        groups.push(group.sort(order));
      }
    }
  }
  return groups.sort((a, b) => order(a[0] as string, b[0] as string));
}

/** A path around a cycle through the group's first member (a shortest one, by breadth-first search). */
function cyclePath(group: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const start = group[0] as string;
  const inGroup = new Set(group);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const target of edges.get(current) ?? []) {
      if (!inGroup.has(target)) continue;
      if (target === start) {
        const path = [current];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, current);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
