import type { GenerationOutcome } from '../../pipeline/ai/generate.js';
import { generate, type GenerateOutcome } from '../../pipeline/generate.js';
import { generationLine } from '../../render/lines.js';
import { summaryLine } from '../../render/summary.js';
import { displayPath } from '../../render/text.js';
import { cliSettings, settingOptionHelp, settingOptions } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';
import { cliReporter } from '../report.js';

/** `clockwork generate`: have the AI write what resources leave open, without deploying, so it can be reviewed. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Have the AI write what resources leave open (cached under .clockwork/generated/), without deploying',
  usage: '[--dir DIR] [--force] [--resource NAME]... [--json] [--model NAME] [--api-key KEY] [--base-url URL]',
  options: { ...commonOptions, ...settingOptions('generate'), force: { type: 'boolean' }, resource: { type: 'string', multiple: true } },
  optionHelp: {
    ...commonOptionHelp,
    force: '--force        regenerate even what is cached',
    resource: '--resource NAME only this resource (repeat for more)',
    ...settingOptionHelp('generate'),
  },
  async run(values, io) {
    const json = Boolean(values['json']);
    const names = values['resource'] as unknown as string[] | undefined;
    const outcome = await generate({
      settings: cliSettings('generate', values, io),
      force: Boolean(values['force']),
      ...(names ? { resources: names } : {}),
      signal: io.signal,
      onEvent: cliReporter(io, { json, verbose: false, cachedGeneration: true }),
    });
    if (json) {
      io.stdout(JSON.stringify(toJson(outcome, io.cwd), null, 2));
    } else {
      for (const item of outcome.generation.filter((candidate) => candidate.status === 'not-needed')) io.stdout(`  ${generationLine(item, io.cwd)}`);
      io.stdout(`${summaryLine(outcome)}${advice(outcome)}`);
      for (const failure of outcome.generation.filter((item) => item.status === 'failed')) io.stderr(`✗ ${failure.error}`);
    }
    return outcome.ok ? ExitCode.ok : ExitCode.failed;
  },
};

/** What to do next, after the summary. */
function advice(outcome: GenerateOutcome): string {
  if (outcome.counts.cached + outcome.counts.generated + outcome.counts.failed === 0) return '';
  return outcome.ok
    ? '. Review the generated files above before "clockwork apply"; "clockwork generate --force" writes them anew.'
    : '. Nothing is deployed until every generation succeeds.';
}

function relative(file: string | undefined, cwd: string): string {
  return file ? displayPath(file, cwd) : '';
}

function toJson(outcome: GenerateOutcome, cwd: string): unknown {
  return {
    ok: outcome.ok,
    model: outcome.model,
    endpoint: outcome.endpoint,
    requests: outcome.requests,
    resources: outcome.generation.map((item: GenerationOutcome) => ({
      ...item,
      ...(item.cacheFile ? { cacheFile: relative(item.cacheFile, cwd) } : {}),
      ...(item.preview ? { preview: relative(item.preview, cwd) } : {}),
    })),
  };
}
