/**
 * What `clockwork/run` does for each command: the pipeline called in-process, its events
 * turned into progress steps and output lines, its results into wire data.
 */
import * as path from 'node:path';
import { execa } from 'execa';
import { generateProject, generationStatus, type GenerationEvent, type GenerationOutcome } from '../pipeline/ai/generate.js';
import { apply } from '../pipeline/apply.js';
import { runAssertions } from '../pipeline/assert/run.js';
import type { AssertionResult } from '../pipeline/assert/types.js';
import { destroy } from '../pipeline/destroy.js';
import type { PipelineEvent } from '../pipeline/events.js';
import { loadProject, type LoadedProject } from '../pipeline/loader/load.js';
import { planProject } from '../pipeline/plan.js';
import { locatePyinfra, PyinfraMissingError } from '../pipeline/pyinfra/locate.js';
import type { ResourceResult } from '../pipeline/pyinfra/results.js';
import { setupPyinfra } from '../pipeline/pyinfra/setup.js';
import { resolveSettings, type SettingName, type Settings } from '../pipeline/settings.js';
import { readState } from '../pipeline/state.js';
import type {
  RunParams,
  RunResult,
  RunSettings,
  StatusResult,
  WireAssertionResult,
  WireGeneration,
  WirePlan,
  WireResourceResult,
  WireStateRecord,
} from '../protocol.js';

/** Where a run reports to. */
export interface RunReporter {
  progress(message: string, extra?: { result?: WireAssertionResult; checks?: { resource: string; index: number; isDefault: boolean }[] }): void;
  output(line: string, level?: 'trace' | 'debug' | 'info' | 'warn' | 'error'): void;
}

/** The editor's explicit settings as `resolveSettings` names them. */
export function explicitSettings(settings: RunSettings): Partial<Record<SettingName, string | undefined>> {
  const text = (value: string | number | undefined): string | undefined => (value === undefined || value === '' ? undefined : String(value));
  return {
    OPENROUTER_MODEL: text(settings.model),
    OPENROUTER_BASE_URL: text(settings.baseUrl),
    PYINFRA_PATH: text(settings.pyinfraPath),
    PYINFRA_OUTPUT_DIR: text(settings.outputDir),
    LOG_LEVEL: text(settings.logLevel),
    CLOCKWORK_AI_CONCURRENCY: text(settings.aiConcurrency),
  };
}

/** Settings for a project folder with the editor's values on top. */
export function settingsFor(projectDir: string, settings: RunSettings): Settings {
  return resolveSettings({ projectDir, explicit: explicitSettings(settings) });
}

function toWireAssertion(result: AssertionResult): WireAssertionResult {
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

function toWireResource(result: ResourceResult): WireResourceResult {
  return {
    resource: result.resource,
    kind: result.kind,
    host: result.host,
    target: result.identity,
    action: result.action,
    status: result.status,
    ...(result.error ? { error: result.error } : {}),
  };
}

const STEP_TITLES: Record<PipelineEvent['step'], string> = {
  loading: 'Loading',
  generating: 'Generating',
  compiling: 'Compiling',
  removing: 'Removing',
  deploying: 'Deploying',
  destroying: 'Destroying',
  recording: 'Recording',
};

function pipelineEvents(reporter: RunReporter): (event: PipelineEvent) => void {
  return (event) => {
    // Generation has its own counted steps (see generateWithProgress).
    if (event.step === 'generating' || event.step === 'loading') return;
    reporter.progress(STEP_TITLES[event.step]);
    reporter.output(event.message);
    for (const change of event.changes ?? []) reporter.output(`  - ${change.kind} ${change.name} → ${change.identity.id}`);
  };
}

async function load(settings: Settings, signal: AbortSignal, reporter: RunReporter): Promise<LoadedProject> {
  reporter.progress('Loading');
  reporter.output(`Loading ${path.join(settings.projectDir, 'clockwork.ts')}`);
  return loadProject({ target: settings.projectDir, timeoutMs: settings.loadTimeoutMs, signal, onOutput: (line) => reporter.output(line) });
}

/**
 * Reports AI generation as it goes ("Generating k/n", one output line per resource). `total`
 * counts the resources the AI will actually be asked for (the cache answers the rest).
 */
function generationReporter(
  project: LoadedProject,
  settings: Settings,
  reporter: RunReporter,
  options: { resources?: string[] | undefined; force?: boolean | undefined },
): (event: GenerationEvent) => void {
  const status = generationStatus(project, settings);
  const selected = project.resources.filter((resource) => !options.resources || options.resources.includes(resource.name));
  const total = selected.filter((resource) => status.get(resource.name) === 'will generate' || (options.force && status.get(resource.name) !== 'none')).length;
  let done = 0;
  if (total > 0) {
    reporter.progress(`Generating 0/${total}`);
    reporter.output(`Generating with ${settings.model} (at most ${settings.aiConcurrency} at a time)`);
  }
  return (event) => {
    if (event.type === 'note') reporter.output(event.message, 'warn');
    if (event.type !== 'finished') return;
    const outcome = event.outcome;
    if (outcome.status === 'generated' || outcome.status === 'failed') {
      done += 1;
      reporter.progress(`Generating ${done}/${total}`);
    }
    const where = outcome.preview ? ` → ${outcome.preview}` : '';
    reporter.output(`${outcome.status === 'failed' ? '✗' : '✓'} ${outcome.kind} ${outcome.name}: ${outcome.status}${where}${outcome.error ? ` (${outcome.error})` : ''}`, outcome.status === 'failed' ? 'error' : 'info');
  };
}

/** Lets the AI fill open fields (cache first), without deploying. */
async function generateWithProgress(
  project: LoadedProject,
  settings: Settings,
  signal: AbortSignal,
  reporter: RunReporter,
  options: { resources?: string[] | undefined; force?: boolean | undefined },
): Promise<WireGeneration[]> {
  const result = await generateProject({
    project,
    settings,
    signal,
    ...(options.force ? { force: true } : {}),
    ...(options.resources ? { resources: options.resources } : {}),
    onEvent: generationReporter(project, settings, reporter, options),
  });
  // Throws AiGenerationFailedError when something could not be generated.
  result.completedResources();
  return toWireGeneration(result.outcomes);
}

function toWireGeneration(outcomes: readonly GenerationOutcome[]): WireGeneration[] {
  return outcomes.map((outcome) => ({
    kind: outcome.kind,
    name: outcome.name,
    status: outcome.status,
    ...(outcome.preview ? { preview: outcome.preview } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  }));
}

function planOf(project: LoadedProject, settings: Settings): WirePlan {
  const plan = planProject(project, readState(settings.stateDir));
  const ai = generationStatus(project, settings);
  return {
    file: plan.file,
    hosts: settings.inventory ? [`hosts of ${path.relative(settings.projectDir, settings.inventory)}`] : ['@local'],
    resources: plan.resources.map((resource) => ({
      kind: resource.kind,
      name: resource.name,
      target: resource.target,
      action: resource.action,
      aiFields: resource.aiFields,
      ai: ai.get(resource.name) ?? 'none',
      assertions: resource.assertions,
    })),
    removals: plan.removals.map((removal) => ({ kind: removal.kind, name: removal.name, target: removal.identity })),
  };
}

function count(noun: string, n: number): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Runs one command. Throws on bad input or when the pipeline fails before producing results. */
export async function executeRun(params: RunParams, projectDir: string, signal: AbortSignal, reporter: RunReporter): Promise<RunResult> {
  const started = performance.now();
  const settings = settingsFor(projectDir, params.settings);
  const base = { command: params.command, cancelled: false };
  const elapsed = (): number => Math.round(performance.now() - started);
  switch (params.command) {
    case 'plan': {
      const project = await load(settings, signal, reporter);
      const plan = planOf(project, settings);
      return { ...base, ok: true, summary: `Plan: ${count('resource', plan.resources.length)}, ${plan.removals.length} to remove`, plan, durationMs: elapsed() };
    }
    case 'generate': {
      const project = await load(settings, signal, reporter);
      const generation = await generateWithProgress(project, settings, signal, reporter, { resources: params.resources, force: params.force });
      const made = generation.filter((item) => item.status === 'generated').length;
      const cached = generation.filter((item) => item.status === 'cached').length;
      return { ...base, ok: true, summary: `✓ ${made} generated, ${cached} cached`, generation, durationMs: elapsed() };
    }
    case 'apply': {
      const project = await load(settings, signal, reporter);
      // apply generates itself (after finding PyInfra, so a missing one costs no AI request).
      const result = await apply({
        settings,
        project,
        signal,
        ...(params.resources ? { resources: params.resources } : {}),
        onGeneration: generationReporter(project, settings, reporter, { resources: params.resources }),
        onEvent: pipelineEvents(reporter),
        onOutput: (line) => reporter.output(line, 'debug'),
      });
      const generation = toWireGeneration(result.generation);
      const resources = result.results.map(toWireResource);
      const failed = resources.filter((item) => item.status === 'failed');
      for (const item of resources) reporter.output(`${item.status === 'failed' ? '✗' : '✓'} ${item.kind} ${item.resource} on ${item.host}: ${item.status}${item.error ? ` — ${item.error}` : ''}`, item.status === 'failed' ? 'error' : 'info');
      const summary = result.ok
        ? `✓ Applied ${count('resource', new Set(resources.map((item) => item.resource)).size)}`
        : result.cancelled
          ? '✗ Apply cancelled; what had already run is recorded'
          : `✗ Apply failed${failed.length > 0 ? `: ${failed.map((item) => item.resource).join(', ')}` : ''}`;
      return {
        ...base,
        ok: result.ok,
        cancelled: result.cancelled,
        summary,
        resources,
        generation,
        ...(result.error ? { error: { kind: 'other', message: result.error } } : {}),
        durationMs: elapsed(),
      };
    }
    case 'destroy': {
      const result = await destroy({
        settings,
        signal,
        ...(params.resources ? { resources: params.resources } : {}),
        onEvent: pipelineEvents(reporter),
        onOutput: (line) => reporter.output(line, 'debug'),
      });
      const resources = result.results.map(toWireResource);
      const summary = result.nothingRecorded
        ? 'Nothing to destroy: no resource is recorded as deployed'
        : result.ok
          ? `✓ Destroyed ${count('resource', new Set(resources.map((item) => item.resource)).size)}`
          : result.cancelled
            ? '✗ Destroy cancelled; what is left is still recorded'
            : `✗ Destroy failed for ${result.remaining.map((record) => record.name).join(', ')}`;
      return {
        ...base,
        ok: result.ok,
        cancelled: result.cancelled,
        summary,
        resources,
        ...(result.error ? { error: { kind: 'other', message: result.error } } : {}),
        durationMs: elapsed(),
      };
    }
    case 'assert': {
      const project = await load(settings, signal, reporter);
      const results: WireAssertionResult[] = [];
      const run = await runAssertions({
        settings,
        project,
        signal,
        ...(params.resources ? { resources: params.resources } : {}),
        ...(params.assertions ? { assertions: params.assertions } : {}),
        onOutput: (line) => reporter.output(line, 'debug'),
        onEvent: (event) => {
          if (event.type === 'started') {
            reporter.output(event.message);
            reporter.progress(`Checking ${count('assertion', event.checks.length)}`, {
              checks: event.checks.map((check) => ({ resource: check.resource, index: check.assertion.index, isDefault: check.isDefault })),
            });
            return;
          }
          const wire = toWireAssertion(event.result);
          results.push(wire);
          const mark = wire.status === 'passed' ? '✓' : '✗';
          const detail = wire.status === 'passed' ? '' : ` — ${wire.message || `expected ${wire.expected}, got ${wire.actual || 'nothing'}`}`;
          reporter.output(`${mark} ${wire.resource}: ${wire.assertion.kind}${wire.assertion.label ? ` (${wire.assertion.label})` : ''} on ${wire.host}${detail}`, wire.status === 'passed' ? 'info' : 'warn');
          reporter.progress(`Checked ${results.length}`, { result: wire });
        },
      });
      const { total, passed, failed, error } = run.counts;
      const summary = run.ok
        ? `✓ ${count('assertion', total)} passed`
        : `✗ ${[failed > 0 ? `${failed} failed` : '', error > 0 ? `${error} could not run` : ''].filter(Boolean).join(', ')} of ${count('assertion', total)} (${passed} passed)`;
      return { ...base, ok: run.ok, cancelled: signal.aborted, summary, assertions: run.results.map(toWireAssertion), durationMs: elapsed() };
    }
    case 'setup': {
      reporter.progress('Installing PyInfra');
      const result = await setupPyinfra({ settings, signal, onOutput: (line) => reporter.output(line, 'debug') });
      return { ...base, ok: true, summary: `✓ PyInfra installed: ${result.pyinfra}`, durationMs: elapsed() };
    }
  }
}

/** The recorded state Destroy would remove. */
export function stateRecords(projectDir: string, settings: RunSettings, resources: string[] | undefined): WireStateRecord[] {
  const records = readState(settingsFor(projectDir, settings).stateDir);
  return records
    .filter((record) => !resources || resources.includes(record.name))
    .map((record) => ({ kind: record.kind, name: record.name, host: record.host, target: record.identity }));
}

/** PyInfra, model and key availability; PyInfra's version is asked only in a trusted workspace. */
export async function projectStatus(projectDir: string, settings: RunSettings, trusted: boolean): Promise<StatusResult> {
  const resolved = settingsFor(projectDir, settings);
  const status: StatusResult = { pyinfra: { found: false }, model: resolved.model, baseUrl: resolved.baseUrl, apiKey: resolved.apiKey !== undefined };
  try {
    const pyinfra = locatePyinfra(resolved);
    status.pyinfra = { found: true, path: pyinfra };
    if (trusted) {
      const version = await execa(pyinfra, ['--version'], { reject: false, timeout: 15_000, stdin: 'ignore' });
      const match = /(\d+\.\d+(?:\.\d+)?)/.exec(`${version.stdout}\n${version.stderr}`);
      if (match?.[1]) status.pyinfra.version = match[1];
    }
  } catch (error) {
    status.pyinfra = { found: false, problem: error instanceof PyinfraMissingError ? error.message : String(error) };
  }
  return status;
}
