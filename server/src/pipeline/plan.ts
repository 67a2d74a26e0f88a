/** What Clockwork would do for a loaded project, as data the CLI and the editor present. */
import type { ResourceIdentity } from '../model/define.js';
import type { SourceLocation } from '../model/location.js';
import type { LoadedProject } from './loader/load.js';

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
  assertions: AssertionPlan[];
  location: SourceLocation | undefined;
}

/** The plan for a project. */
export interface ProjectPlan {
  projectDir: string;
  file: string;
  resources: ResourcePlan[];
}

/** Describes every resource of a loaded project: where it goes and what is left to the AI. */
export function planProject(project: LoadedProject): ProjectPlan {
  const context = { projectDir: project.projectDir };
  return {
    projectDir: project.projectDir,
    file: project.file,
    resources: project.resources.map((resource) => ({
      kind: resource.kind,
      name: resource.name,
      target: resource.definition.identity(resource.spec, context),
      aiFields: resource.definition.openFields(resource.spec),
      assertions: resource.assertions.map((assertion) => ({
        kind: assertion.kind,
        label: assertion.definition.label(assertion.spec),
      })),
      location: resource.location,
    })),
  };
}
