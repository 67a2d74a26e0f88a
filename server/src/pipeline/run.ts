/**
 * The run layer: every command of Clockwork, one entry each, with one way in (`run`), one way
 * to report (`RunReporter` events) and one way out (an outcome, as data, with its counts). The
 * CLI and the language server call this and only render what comes back.
 */
import { apply, type ApplyOutcome } from './apply.js';
import { runAssertions } from './assert/run.js';
import type { AssertionSelector, AssertOutcome } from './assert/types.js';
import { destroy, type DestroyOutcome } from './destroy.js';
import type { OutcomeBase, ProjectRunOptions } from './events.js';
import { generate, type GenerateOutcome } from './generate.js';
import { plan, type PlanOutcome } from './plan.js';
import { PYINFRA_REQUIREMENT, setupPyinfra } from './pyinfra/setup.js';

/** What `setup` did: PyInfra installed into a private virtual environment. */
export interface SetupOutcome extends OutcomeBase<'setup'> {
  venvDir: string;
  /** The installed `pyinfra` program. */
  pyinfra: string;
}

/** Each command's outcome. */
export interface RunOutcomes {
  plan: PlanOutcome;
  generate: GenerateOutcome;
  apply: ApplyOutcome;
  destroy: DestroyOutcome;
  assert: AssertOutcome;
  setup: SetupOutcome;
}

/** A command of the run layer. */
export type RunCommand = keyof RunOutcomes;

/** Any command's outcome; `command` tells which. */
export type RunOutcome = RunOutcomes[RunCommand];

/** What a run takes; each command reads the options that concern it. */
export interface RunInput extends ProjectRunOptions {
  /** assert: only these assertions. */
  assertions?: readonly AssertionSelector[];
  /** generate: regenerate even what is cached. */
  force?: boolean;
  /** destroy: keep `.clockwork/` even when everything was removed. */
  keepFiles?: boolean;
}

/** `setup`: installs PyInfra (pip's output is reported as `output`). */
async function setup(input: RunInput): Promise<SetupOutcome> {
  const started = performance.now();
  const { settings, signal, onEvent } = input;
  onEvent?.({ type: 'step', step: 'installing', message: `Installing ${PYINFRA_REQUIREMENT} into a virtual environment under ${settings.cacheDir}` });
  const result = await setupPyinfra({
    settings,
    ...(signal ? { signal } : {}),
    ...(onEvent ? { onOutput: (line: string) => onEvent({ type: 'output', source: 'pip', line }) } : {}),
  });
  return { command: 'setup', ok: true, cancelled: false, ...result, durationMs: Math.round(performance.now() - started) };
}

const commands: { [C in RunCommand]: (input: RunInput) => Promise<RunOutcomes[C]> } = {
  plan,
  generate,
  apply,
  destroy,
  assert: runAssertions,
  setup,
};


/**
 * Runs one command. Throws ClockworkError subclasses for bad input, a missing tool or key, or a
 * cancelled AI step; once work on the hosts began, failures are in the outcome instead.
 */
export function run<C extends RunCommand>(command: C, input: RunInput): Promise<RunOutcomes[C]> {
  return commands[command](input);
}
