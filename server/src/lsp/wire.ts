/** The pipeline's data as the protocol carries it (server/src/protocol.ts): positions 0-based, no functions. */
import type { GenerationOutcome } from '../pipeline/ai/generate.js';
import type { AssertionResult } from '../pipeline/assert/types.js';
import type { PlanOutcome } from '../pipeline/plan.js';
import type { ResourceResult } from '../pipeline/pyinfra/results.js';
import type { WireAssertionResult, WireGeneration, WirePlan, WireResourceResult } from '../protocol.js';

/** An assertion result. */
export function wireAssertion(result: AssertionResult): WireAssertionResult {
  return {
    resource: result.resource,
    kind: result.kind,
    assertion: { kind: result.assertion.kind, index: result.assertion.index, label: result.assertion.label },
    host: result.host,
    status: result.status,
    message: result.message,
    expected: result.expected,
    actual: result.actual,
    durationMs: result.durationMs,
    isDefault: result.isDefault,
    ...(result.location
      ? { location: { file: result.location.file, line: result.location.line - 1, character: Math.max(0, result.location.column - 1) } }
      : {}),
  };
}

/** A resource's deploy or removal result. */
export function wireResource(result: ResourceResult): WireResourceResult {
  return {
    resource: result.resource,
    kind: result.kind,
    host: result.host,
    target: result.identity,
    action: result.action,
    status: result.status,
    ...(result.error ? { error: result.error } : {}),
    ...(result.note ? { note: result.note } : {}),
  };
}

/** A resource's AI generation outcome. */
export function wireGeneration(outcome: GenerationOutcome): WireGeneration {
  return {
    kind: outcome.kind,
    name: outcome.name,
    status: outcome.status,
    ...(outcome.preview ? { preview: outcome.preview } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

/** A plan. */
export function wirePlan(outcome: PlanOutcome): WirePlan {
  const { plan } = outcome;
  return {
    file: plan.file,
    hosts: outcome.hosts,
    resources: plan.resources.map((resource) => ({
      kind: resource.kind,
      name: resource.name,
      target: resource.target,
      action: resource.action,
      aiFields: resource.aiFields,
      ai: resource.ai ?? 'none',
      assertions: resource.assertions,
    })),
    removals: plan.removals.map((removal) => ({ kind: removal.kind, name: removal.name, target: removal.identity })),
  };
}
