/** What Clockwork would do for a loaded project, as data the CLI and the editor present. */
import type { ResourceIdentity } from '../model/define.js';
import type { SourceLocation } from '../model/location.js';
import { planChanges, type ChangeAction, type ResourceChange } from './compile/changes.js';
import type { LoadedProject } from './loader/load.js';
import type { StateRecord } from './state.js';

/** One assertion in a plan. */
export interface AssertionPlan {
  kind: string;
  label: string;
}

/** One resource in a plan. */
export interface ResourcePlan {
  kind: string;
  name: string;
  /** What it is on the host (absolute file path or container name). */
  target: ResourceIdentity;
  /** Fields the AI must fill in before deploying; empty when the resource is complete. */
  aiFields: string[];
  /** `cached` when the AI's answer is stored, `will generate` when it must still be asked (set by the plan command). */
  ai?: 'cached' | 'will generate' | 'none';
  assertions: AssertionPlan[];
  location: SourceLocation | undefined;
  /** What apply would do to it, compared with the state: create, change or unchanged. */
  action: Exclude<ChangeAction, 'remove'>;
}

/** The plan for a project. */
export interface ProjectPlan {
  projectDir: string;
  file: string;
  resources: ResourcePlan[];
  /** What an earlier apply created and clockwork.ts no longer declares: apply removes it. */
  removals: ResourceChange[];
}

/**
 * Describes every resource of a loaded project: where it goes, what is left to the AI, and
 * what apply would create, change or remove compared with the recorded state.
 */
export function planProject(project: LoadedProject, records: readonly StateRecord[] = []): ProjectPlan {
  const context = { projectDir: project.projectDir };
  const changes = planChanges(project.resources, records, project.projectDir);
  return {
    projectDir: project.projectDir,
    file: project.file,
    resources: project.resources.map((resource, index) => ({
      kind: resource.kind,
      name: resource.name,
      target: resource.definition.identity(resource.spec, context),
      aiFields: resource.definition.openFields(resource.spec),
      assertions: resource.assertions.map((assertion) => ({
        kind: assertion.kind,
        label: assertion.definition.label(assertion.spec),
      })),
      location: resource.location,
      action: (changes[index]?.action ?? 'create') as Exclude<ChangeAction, 'remove'>,
    })),
    removals: changes.filter((change) => change.action === 'remove'),
  };
}
