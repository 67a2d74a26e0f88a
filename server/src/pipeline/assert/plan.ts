/**
 * Which checks an assert run performs: each declared assertion of the selected resources,
 * or the resource's defaults when it declares none, compiled through its definition's
 * `check` member.
 */
import { validateSpec, type AssertionDefinition, type CheckContext } from '../../model/define.js';
import { valueAssignments, type CheckScriptOptions } from '../../codegen/checks.js';
import { ShellQuoteError } from '../../codegen/shell.js';
import { ClockworkError } from '../../model/errors.js';
import type { SourceLocation } from '../../model/location.js';
import { assertionDefinition } from '../../model/registry.js';
import type { LoadedProject, LoadedResource } from '../loader/load.js';
import { checkResourceNames } from '../loader/select.js';
import type { AssertionRef, AssertionSelector } from './types.js';

/** One check, to run on its resource's hosts. */
export interface PlannedCheck {
  resource: string;
  resourceKind: string;
  assertion: AssertionRef;
  isDefault: boolean;
  expected: string;
  /** The check as data, with its timeout (codegen/hostScript.ts makes it part of a host's script). */
  check: CheckScriptOptions;
  timeoutSeconds: number;
  location: SourceLocation | undefined;
  /** The hosts it runs on (its resource's targets); undefined: every host of the inventory. */
  hosts?: string[];
}

/** A selection names an assertion the project does not have. */
export class AssertSelectionError extends ClockworkError {
  override name = 'AssertSelectionError';
}

/**
 * The checks for `project`, filtered by resource names and assertion selectors, each on the
 * hosts `hostsOf` gives its resource (see pipeline/hosts.ts); a resource on none is left out.
 */
export function planChecks(
  project: LoadedProject,
  filter: { resources?: readonly string[] | undefined; assertions?: readonly AssertionSelector[] | undefined } = {},
  hostsOf: (resource: LoadedResource) => string[] | undefined = () => undefined,
): PlannedCheck[] {
  checkResourceNames(project, [...(filter.resources ?? []), ...(filter.assertions ?? []).map((selector) => selector.resource)]);
  const checks: PlannedCheck[] = [];
  for (const resource of project.resources) {
    if (filter.resources && !filter.resources.includes(resource.name)) continue;
    const selected = filter.assertions?.filter((selector) => selector.resource === resource.name);
    if (filter.assertions && selected?.length === 0) continue;
    const resourceChecks = checksOf(resource, project.projectDir);
    if (selected) {
      for (const selector of selected) {
        if (!resourceChecks.some((check) => check.assertion.index === selector.index)) {
          throw new AssertSelectionError(`${resource.kind} "${resource.name}" has no assertion number ${selector.index}`);
        }
      }
    }
    const hosts = hostsOf(resource);
    if (hosts?.length === 0) continue;
    checks.push(
      ...resourceChecks
        .filter((check) => !selected || selected.some((selector) => selector.index === check.assertion.index))
        .map((check) => (hosts ? { ...check, hosts } : check)),
    );
  }
  return checks;
}

function checksOf(resource: LoadedResource, projectDir: string): PlannedCheck[] {
  const identity = resource.definition.identity(resource.spec, { projectDir });
  const context: CheckContext = {
    projectDir,
    resourceKind: resource.kind,
    resourceName: resource.name,
    container: identity.type === 'container' ? identity.id : undefined,
  };
  if (resource.assertions.length > 0) {
    return resource.assertions.map((assertion) =>
      compile(resource, assertion.definition, assertion.spec, assertion.index, false, assertion.location, context),
    );
  }
  return resource.definition.defaultAssertions(resource.spec, { projectDir }).map((data, index) => {
    const definition = assertionDefinition(data.kind);
    if (!definition) throw new ClockworkError(`${resource.kind} declares an unknown default assertion ${data.kind}`);
    const parsed = validateSpec(definition.schema, data.spec);
    if (!parsed.ok) throw new ClockworkError(`${resource.kind} "${resource.name}": invalid default ${data.kind}: ${parsed.issues.map((issue) => issue.message).join('; ')}`);
    return compile(resource, definition, parsed.spec as Record<string, unknown>, index, true, resource.location, context);
  });
}

function compile(
  resource: LoadedResource,
  definition: AssertionDefinition,
  spec: Record<string, unknown>,
  index: number,
  isDefault: boolean,
  location: SourceLocation | undefined,
  context: CheckContext,
): PlannedCheck {
  const timeoutSeconds = typeof spec['timeoutSeconds'] === 'number' ? spec['timeoutSeconds'] : 5;
  const check = definition.check(spec as never, context);
  try {
    valueAssignments(check.values);
  } catch (error) {
    // A value a shell cannot carry (NUL): a clear input error, not a crash.
    if (!(error instanceof ShellQuoteError)) throw error;
    const where = location ? `${location.file}:${location.line}: ` : '';
    throw new ClockworkError(`${where}${resource.kind} "${resource.name}": ${definition.kind}: ${error.message}; remove it from the assertion's values`);
  }
  const assertion = { kind: definition.kind, index, label: definition.label(spec as never) };
  return {
    resource: resource.name,
    resourceKind: resource.kind,
    assertion,
    isDefault,
    expected: check.expected,
    check: { ...check, timeoutSeconds },
    timeoutSeconds,
    location,
  };
}
