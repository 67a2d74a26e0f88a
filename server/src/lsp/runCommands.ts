/**
 * What `clockwork/run` does for each command: the pipeline's run layer called in-process, its
 * outcome turned into wire data and one summary line. Reporting is the caller's `RunReporter`.
 */
import type { RunReporter } from '../pipeline/events.js';
import { pyinfraVersion, locatePyinfra, PyinfraMissingError } from '../pipeline/pyinfra/locate.js';
import { run, type RunCommand as PipelineCommand, type RunOutcomes } from '../pipeline/run.js';
import { explicitSettings, resolveSettings, type Settings } from '../pipeline/settings.js';
import { destroyPreview } from '../pipeline/destroy.js';
import { summaryLine } from '../render/summary.js';
import type { DestroyPreview, RunCommand, RunParams, RunResult, RunSettings, StatusResult, WireStateRecord } from '../protocol.js';
import { wireAssertion, wireGeneration, wirePlan, wireResource } from './wire.js';

/** Settings for a project folder with the editor's values on top. */
export function settingsFor(projectDir: string, settings: RunSettings): Settings {
  return resolveSettings({ projectDir, explicit: explicitSettings(settings) });
}

/** What a run's result carries besides its summary, per command. */
type WireData = Omit<RunResult, 'command' | 'ok' | 'cancelled' | 'summary' | 'durationMs'>;

const failure = (error: string | undefined): WireData => (error ? { error: { kind: 'other', message: error } } : {});

/** One short handler per command: the outcome's data as the protocol carries it. */
const handlers: { [C in RunCommand]: (outcome: RunOutcomes[C]) => WireData } = {
  plan: (outcome) => ({ plan: wirePlan(outcome) }),
  generate: (outcome) => ({ generation: outcome.generation.map(wireGeneration), ...failure(outcome.error) }),
  apply: (outcome) => ({ resources: outcome.results.map(wireResource), generation: outcome.generation.map(wireGeneration), ...failure(outcome.error) }),
  destroy: (outcome) => ({ resources: outcome.results.map(wireResource), ...failure(outcome.error) }),
  assert: (outcome) => ({ assertions: outcome.results.map(wireAssertion) }),
  setup: () => ({}),
};

// The protocol's commands are the pipeline's: this fails to compile when one side gains a command.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _protocolMatchesPipeline: Same<RunCommand, PipelineCommand> = true;

/** Runs one command in this process. Throws on bad input or when the pipeline fails before producing an outcome. */
export async function executeRun(params: Omit<RunParams, 'runId'>, projectDir: string, signal: AbortSignal, onEvent: RunReporter): Promise<RunResult> {
  return runCommand(params.command, params, projectDir, signal, onEvent);
}

async function runCommand<C extends RunCommand>(
  command: C,
  params: Omit<RunParams, 'runId'>,
  projectDir: string,
  signal: AbortSignal,
  onEvent: RunReporter,
): Promise<RunResult> {
  const outcome = await run(command, {
    settings: settingsFor(projectDir, params.settings),
    signal,
    onEvent,
    ...(params.resources ? { resources: params.resources } : {}),
    ...(params.assertions ? { assertions: params.assertions } : {}),
    ...(params.hosts ? { hosts: params.hosts } : {}),
    ...(params.force ? { force: true } : {}),
    ...(params.keepFiles ? { keepFiles: true } : {}),
  });
  const { ok, cancelled, durationMs } = outcome;
  return { command, ok, cancelled, summary: summaryLine(outcome), durationMs, ...handlers[command](outcome) };
}

/** What Destroy would remove: the recorded state, the folders apply created, and `.clockwork/`. */
export function destroyPreviewOf(projectDir: string, settings: RunSettings, resources: string[] | undefined): DestroyPreview {
  const preview = destroyPreview(settingsFor(projectDir, settings), resources);
  const records: WireStateRecord[] = preview.records.map((record) => ({ kind: record.kind, name: record.name, host: record.host, target: record.identity }));
  return { ...preview, records };
}

/** PyInfra, model and key availability; PyInfra's version is asked only in a trusted workspace. */
export async function projectStatus(projectDir: string, settings: RunSettings, trusted: boolean): Promise<StatusResult> {
  const resolved = settingsFor(projectDir, settings);
  const status: StatusResult = { pyinfra: { found: false }, model: resolved.model, baseUrl: resolved.baseUrl, apiKey: resolved.apiKey !== undefined };
  try {
    const pyinfra = locatePyinfra(resolved);
    status.pyinfra = { found: true, path: pyinfra };
    const version = trusted ? await pyinfraVersion(pyinfra) : undefined;
    if (version) status.pyinfra.version = version;
  } catch (error) {
    status.pyinfra = { found: false, problem: error instanceof PyinfraMissingError ? error.message : String(error) };
  }
  return status;
}
