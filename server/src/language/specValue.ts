/**
 * Turning a value tree into the plain value zod validates, and mapping a zod issue's path
 * back to the node it is about. Unknown (non-literal) values become `undefined` so they
 * cannot produce an issue of their own; issues about them are dropped by `locateIssue`.
 */
import type { FieldIssue } from '../model/errors.js';
import { type ObjectValue, type PropertyNode, propertyOf, type TextRange, type Value } from './parsedDocument.js';

/** The plain JavaScript value of a value tree; unknown parts become undefined. */
export function plainValue(value: Value): unknown {
  switch (value.type) {
    case 'literal':
      return value.value;
    case 'array':
      return value.elements.map(plainValue);
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of value.properties) result[property.name] = plainValue(property.value);
      return result;
    }
    case 'construction':
      return { kind: value.construction.kind };
    case 'unknown':
      return undefined;
  }
}

/** True when some part of the value is not a literal. */
export function hasUnknown(value: Value): boolean {
  switch (value.type) {
    case 'unknown':
      return true;
    case 'array':
      return value.elements.some(hasUnknown);
    case 'object':
      return value.hasSpread || value.properties.some((property) => hasUnknown(property.value));
    default:
      return false;
  }
}

/** Where an issue is, in the value tree. */
export type IssueLocation =
  | { type: 'value'; value: Value; property: PropertyNode | undefined }
  | { type: 'missing'; object: ObjectValue; name: string }
  | { type: 'unknown' };

/**
 * Follows an issue's dotted path through the value tree. `unknown` when the path runs
 * through a value that is not a literal, or when the issue cannot be trusted because of one
 * (a missing field next to a spread; an object-level rule on an object with unknown parts).
 */
export function locateIssue(root: Value, issue: FieldIssue): IssueLocation {
  const segments = issue.path === '' ? [] : issue.path.split('.');
  let current: Value = root;
  let property: PropertyNode | undefined;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] ?? '';
    if (current.type === 'object') {
      const next = propertyOf(current, segment);
      if (!next) {
        if (current.hasSpread || index < segments.length - 1) return { type: 'unknown' };
        return { type: 'missing', object: current, name: segment };
      }
      property = next;
      current = next.value;
    } else if (current.type === 'array') {
      const next = current.elements[Number(segment)];
      if (!next) return { type: 'unknown' };
      property = undefined;
      current = next;
    } else {
      return { type: 'unknown' };
    }
    if (current.type === 'unknown') return { type: 'unknown' };
  }
  // A rule over a whole object or array (e.g. "give at least one of …") cannot be judged
  // when part of it is unknown.
  if ((current.type === 'object' || current.type === 'array') && hasUnknown(current)) return { type: 'unknown' };
  return { type: 'value', value: current, property };
}

/** The range to mark for a located issue. */
export function issueRange(location: Exclude<IssueLocation, { type: 'unknown' }>, unknownProperty: boolean): TextRange {
  if (location.type === 'missing') return location.object.range;
  if (unknownProperty && location.property) return location.property.nameRange;
  return location.value.range;
}
