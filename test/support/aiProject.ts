/** Projects and settings for AI generation tests, built in-process (no child process needed). */
import * as path from 'node:path';
import { validateSpec } from '../../server/src/model/define.js';
import { resourceDefinition } from '../../server/src/model/registry.js';
import type { LoadedProject, LoadedResource } from '../../server/src/pipeline/loader/load.js';
import { resolveSettings, type Settings } from '../../server/src/pipeline/settings.js';

/** A resource as written in clockwork.ts: its kind and fields. */
export interface Declared {
  kind: string;
  spec: Record<string, unknown>;
}

/** A loaded project in `dir` declaring `resources` (validated as the loader does). */
export function projectOf(dir: string, resources: Declared[]): LoadedProject {
  return {
    projectDir: dir,
    file: path.join(dir, 'clockwork.ts'),
    resources: resources.map(({ kind, spec }): LoadedResource => {
      const definition = resourceDefinition(kind);
      if (!definition) throw new Error(`no resource kind ${kind}`);
      const checked = validateSpec(definition.schema, spec);
      if (!checked.ok) throw new Error(`invalid ${kind}: ${JSON.stringify(checked.issues)}`);
      const valid = checked.spec as LoadedResource['spec'];
      return { definition, kind, name: valid.name, spec: valid, assertions: [], dependsOn: [], location: { file: path.join(dir, 'clockwork.ts'), line: 3, column: 3 } };
    }),
  };
}

/** Settings for `dir` that talk to `baseUrl` with `apiKey` (undefined: no key). */
export function aiSettings(dir: string, baseUrl: string, apiKey: string | undefined, extra: Record<string, string> = {}): Settings {
  return resolveSettings({
    projectDir: dir,
    environment: { OPENROUTER_BASE_URL: baseUrl, OPENROUTER_MODEL: 'test/model-1', ...(apiKey ? { OPENROUTER_API_KEY: apiKey } : {}), ...extra },
  });
}

/** A FileResource declaration without content. */
export function aiFile(name: string, description: string, extra: Record<string, unknown> = {}): Declared {
  return { kind: 'FileResource', spec: { name, description, ...extra } };
}

/** A DockerServiceResource declaration without image. */
export function aiService(name: string, description: string, extra: Record<string, unknown> = {}): Declared {
  return { kind: 'DockerServiceResource', spec: { name, description, ...extra } };
}
