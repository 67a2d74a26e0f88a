/**
 * The seam where the AI fills in open fields before compiling: generation itself lives in
 * `server/src/pipeline/ai/` (cached under .clockwork/generated/, at most
 * CLOCKWORK_AI_CONCURRENCY requests at once).
 */
import { generateProject, type GenerationEvent, type GenerationOutcome } from './ai/generate.js';
import type { LoadedProject } from './loader/load.js';
import type { Settings } from './settings.js';

/**
 * Returns the project with every resource's spec complete, and each resource's generation outcome (open fields filled in from the
 * cache or by the AI; a value the user gave always wins). Throws AiKeyMissingError (exit 2)
 * when the AI is needed without a key, AiGenerationFailedError when any generation failed
 * (so nothing is deployed), AiCancelledError when cancelled.
 */
export async function ensureGenerated(
  project: LoadedProject,
  settings: Settings,
  signal?: AbortSignal,
  onEvent?: (event: GenerationEvent) => void,
): Promise<{ project: LoadedProject; outcomes: GenerationOutcome[] }> {
  const result = await generateProject({ project, settings, ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) });
  return { project: { ...project, resources: result.completedResources() }, outcomes: result.outcomes };
}
