/**
 * The `clockwork` module that clockwork.ts files import: one class per resource, assertion
 * and host. Constructors validate their fields and throw a ClockworkValidationError that
 * names the file, line and field.
 */
export * from './concepts.js';
export { ClockworkError, ClockworkValidationError } from './errors.js';
export type { FieldIssue } from './errors.js';
export type { AssertionInstance, ResourceInstance } from './define.js';
export type { HostInstance } from './host.js';
export type { SourceLocation } from './location.js';
