/** What Clockwork would do for a project, as data the CLI and the editor present. */
import * as path from 'node:path';
import type { ResourceIdentity } from '../model/define.js';
import { LOCAL_HOST } from '../model/host.js';
import type { SourceLocation } from '../model/location.js';
import { completeFromCache, generationStatus } from './ai/generate.js';
import { planChanges, type ChangeAction, type ResourceChange } from './compile/changes.js';
import type { OutcomeBase, ProjectRunOptions } from './events.js';
import type { LoadedProject, LoadedResource } from './loader/load.js';
import { hostPlan, type HostPlan } from './hosts.js';
import { projectFor } from './project.js';
import type { Settings } from './settings.js';
import { readRecordedHosts, readState, type StateRecord } from './state.js';

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
  /** `cached` when the AI's answer is stored, `will generate` when it must still be asked (set by `plan`). */
  ai?: 'cached' | 'will generate' | 'none';
  assertions: AssertionPlan[];
  location: SourceLocation | undefined;
  /** What apply would do to it, compared with the state: create, change or unchanged. */
  action: Exclude<ChangeAction, 'remove'>;
  /** The hosts it goes to, when known (its targets, or @local). */
  hosts?: string[];
  /** Hosts it is recorded on and no longer targets: apply removes it from them. */
  leaving?: string[];
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
export function planProject(
  project: LoadedProject,
  records: readonly StateRecord[] = [],
  placement?: Pick<HostPlan, 'hostsOf' | 'limit' | 'only'>,
): ProjectPlan {
  const context = { projectDir: project.projectDir };
  const changes = planChanges(project.resources, records, project.projectDir, placement?.hostsOf);
  // With --host, only what happens on those hosts.
  const onSelectedHosts = (resource: LoadedResource): boolean => !placement?.only || (placement.hostsOf(resource) ?? []).length > 0;
  const removals = changes
    .filter((change) => change.action === 'remove')
    .map((change) => (placement?.only ? { ...change, hosts: placement.limit(change.hosts) } : change))
    .filter((change) => change.hosts.length > 0 || !placement?.only);
  return {
    projectDir: project.projectDir,
    file: project.file,
    resources: project.resources.flatMap((resource, index) => (onSelectedHosts(resource) ? [{ resource, index }] : [])).map(({ resource, index }) => ({
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
      ...(changes[index]?.targets ? { hosts: changes[index]?.targets } : {}),
      ...(changes[index]?.leaving ? { leaving: changes[index]?.leaving } : {}),
    })),
    removals,
  };
}

/** How many resources apply would create, change, leave unchanged or remove, and what the AI must still write. */
export interface PlanCounts {
  create: number;
  change: number;
  unchanged: number;
  remove: number;
  /** Resources whose open fields the AI must still write. */
  needAi: number;
  /** Resources whose open fields the cache answers. */
  cachedAi: number;
}

/** What `plan` found. */
export interface PlanOutcome extends OutcomeBase<'plan'> {
  plan: ProjectPlan;
  /** Where apply would deploy, for people: `@local`, or the inventory's hosts. */
  hosts: string[];
  counts: PlanCounts;
}

/** Where apply deploys, for people: the user's inventory, or each host with where it is (`web1 (deploy@203.0.113.10)`). */
export function describeHosts(settings: Pick<Settings, 'inventory' | 'projectDir'>, project?: Pick<LoadedProject, 'hosts'>, names?: readonly string[]): string[] {
  if (settings.inventory) return [`hosts of ${path.relative(settings.projectDir, settings.inventory)}`];
  const labels = new Map((project?.hosts ?? []).map((host) => [host.name, `${host.name} (${host.definition.label(host.spec)})`]));
  return (names ?? [LOCAL_HOST]).map((name) => labels.get(name) ?? name);
}

/**
 * `plan`: what apply would do, changing nothing. Changes are judged on the specs apply would
 * deploy (cached AI answers merged in, as apply records them); whether the AI still has to
 * write a resource's open fields, the cache decides. Needs no key.
 */
export async function plan(options: ProjectRunOptions): Promise<PlanOutcome> {
  const started = performance.now();
  const { settings } = options;
  const project = await projectFor(options);
  const records = readState(settings.stateDir);
  const placement = hostPlan(project, settings, { recorded: readRecordedHosts(settings.stateDir), recordedNames: records.map((record) => record.host), only: options.hosts });
  const result = planProject(completeFromCache(project, settings), records, placement);
  const aiStatus = generationStatus(project, settings);
  result.resources.forEach((resource) => {
    const declared = project.resources.find((candidate) => candidate.name === resource.name);
    if (declared) resource.aiFields = declared.definition.openFields(declared.spec);
    resource.ai = aiStatus.get(resource.name) ?? 'none';
  });
  const count = (predicate: (resource: ResourcePlan) => boolean): number => result.resources.filter(predicate).length;
  return {
    command: 'plan',
    ok: true,
    cancelled: false,
    plan: result,
    hosts: describeHosts(settings, project, placement.only ?? placement.inventory?.map((entry) => entry.name)),
    counts: {
      create: count((resource) => resource.action === 'create'),
      change: count((resource) => resource.action === 'change'),
      unchanged: count((resource) => resource.action === 'unchanged'),
      remove: result.removals.length,
      needAi: count((resource) => resource.aiFields.length > 0 && resource.ai !== 'cached'),
      cachedAi: count((resource) => resource.ai === 'cached'),
    },
    durationMs: Math.round(performance.now() - started),
  };
}
