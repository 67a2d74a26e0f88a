import * as path from 'node:path';
import { displayUrl } from '../../pipeline/ai/client.js';
import { generateProject, type GenerationOutcome, type GenerationResult } from '../../pipeline/ai/generate.js';
import { loadProject } from '../../pipeline/loader/load.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { aiExplicitSettings, aiOptionHelp, aiOptions } from '../aiOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';
import { displayPath } from '../renderResults.js';

/** `clockwork generate`: have the AI write what resources leave open, without deploying, so it can be reviewed. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Have the AI write what resources leave open (cached under .clockwork/generated/), without deploying',
  usage: '[--dir DIR] [--force] [--resource NAME]... [--json] [--model NAME] [--api-key KEY] [--base-url URL]',
  options: { ...commonOptions, ...aiOptions, force: { type: 'boolean' }, resource: { type: 'string', multiple: true } },
  optionHelp: {
    ...commonOptionHelp,
    force: '--force        regenerate even what is cached',
    resource: '--resource NAME only this resource (repeat for more)',
    ...aiOptionHelp,
  },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
    const settings = resolveSettings({ projectDir, environment: io.environment, explicit: aiExplicitSettings(values) });
    const project = await loadProject({ target: projectDir, timeoutMs: settings.loadTimeoutMs, signal: io.signal });
    const json = Boolean(values['json']);
    const names = values['resource'] as unknown as string[] | undefined;
    if (!json) io.stdout(`Generating with ${settings.model} at ${displayUrl(settings.baseUrl)} (at most ${settings.aiConcurrency} at a time)`);
    const result = await generateProject({
      project,
      settings,
      force: Boolean(values['force']),
      ...(names ? { resources: names } : {}),
      signal: io.signal,
      onEvent: (event) => {
        if (json) return;
        if (event.type === 'note') io.stderr(`  note: ${event.message}`);
        else if (event.type === 'finished') io.stdout(renderOutcome(event.outcome, io.cwd));
      },
    });
    const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
    if (json) io.stdout(JSON.stringify(toJson(result, io.cwd), null, 2));
    else {
      for (const outcome of result.outcomes.filter((candidate) => candidate.status === 'not-needed')) {
        io.stdout(renderOutcome(outcome, io.cwd));
      }
      io.stdout(summary(result));
      for (const failure of failed) io.stderr(`✗ ${failure.error}`);
    }
    return failed.length > 0 ? ExitCode.failed : ExitCode.ok;
  },
};

function relative(file: string | undefined, cwd: string): string {
  return file ? displayPath(file, cwd) : '';
}

/** One line per resource. */
export function renderOutcome(outcome: GenerationOutcome, cwd: string): string {
  const subject = `${outcome.kind} ${outcome.name}`;
  switch (outcome.status) {
    case 'not-needed':
      return `  – ${subject}: nothing to generate (given in clockwork.ts)`;
    case 'cached':
      return `  ✓ ${subject}: cached (${outcome.model}, ${outcome.generatedAt}) → ${relative(outcome.preview, cwd)}`;
    case 'generated': {
      const tokens = outcome.usage ? `, ${outcome.usage.totalTokens} tokens` : '';
      return `  ✓ ${subject}: generated in ${(outcome.durationMs / 1000).toFixed(1)} s${tokens} → ${relative(outcome.preview, cwd)}`;
    }
    default:
      return `  ✗ ${subject}: failed`;
  }
}

function summary(result: GenerationResult): string {
  const count = (status: GenerationOutcome['status']): number => result.outcomes.filter((outcome) => outcome.status === status).length;
  const failed = count('failed');
  if (count('not-needed') === result.outcomes.length) return '✓ Nothing needs the AI: every value is given in clockwork.ts.';
  const line = `${count('generated')} generated, ${count('cached')} cached, ${failed} failed (${result.requests} AI request(s)).`;
  return failed > 0
    ? `✗ ${line} Nothing is deployed until every generation succeeds.`
    : `✓ ${line} Review the generated files above before "clockwork apply"; "clockwork generate --force" writes them anew.`;
}

function toJson(result: GenerationResult, cwd: string): unknown {
  return {
    ok: result.outcomes.every((outcome) => outcome.status !== 'failed'),
    model: result.model,
    endpoint: result.endpoint,
    requests: result.requests,
    resources: result.outcomes.map((outcome) => ({
      ...outcome,
      ...(outcome.cacheFile ? { cacheFile: relative(outcome.cacheFile, cwd) } : {}),
      ...(outcome.preview ? { preview: relative(outcome.preview, cwd) } : {}),
    })),
  };
}
