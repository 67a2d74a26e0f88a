/** The project a run works on: the one it was given, or clockwork.ts loaded as the run's `loading` step. */
import * as path from 'node:path';
import type { ProjectRunOptions } from './events.js';
import { CLOCKWORK_FILE, loadProject, type LoadedProject } from './loader/load.js';

/** Loads settings.projectDir's clockwork.ts unless `options.project` is given; what it prints is `output`. */
export async function projectFor(options: ProjectRunOptions): Promise<LoadedProject> {
  if (options.project) return options.project;
  const { settings, signal, onEvent } = options;
  onEvent?.({ type: 'step', step: 'loading', message: `Loading ${path.join(settings.projectDir, CLOCKWORK_FILE)}` });
  return loadProject({
    target: settings.projectDir,
    timeoutMs: settings.loadTimeoutMs,
    ...(signal ? { signal } : {}),
    ...(onEvent ? { onOutput: (line: string) => onEvent({ type: 'output', source: 'clockwork.ts', line }) } : {}),
  });
}
