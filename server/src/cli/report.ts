/**
 * How the CLI shows a run while it works: the AI's progress, what apply removes and that it
 * deploys, on stdout; notes on stderr; the tools' own output on stderr with --verbose. The end
 * of a run (results and summary) each command prints from its outcome.
 */
import type { RunReporter } from '../pipeline/events.js';
import { generationLine, removalLine } from '../render/lines.js';
import type { CommandIo } from './command.js';

/** What the reporter shows. */
export interface ReportOptions {
  /** --json: stdout holds only the JSON document, so nothing is printed there while running. */
  json: boolean;
  /** --verbose: PyInfra's, pip's and clockwork.ts's own output on stderr. */
  verbose: boolean;
  /** Also a line for each answer the cache gave (generate reports every resource; apply only the AI's work). */
  cachedGeneration?: boolean;
}

/** A reporter that prints to `io`. */
export function cliReporter(io: CommandIo, options: ReportOptions): RunReporter {
  return (event) => {
    if (event.type === 'output') {
      if (options.verbose) io.stderr(event.line);
      return;
    }
    if (options.json) return;
    switch (event.type) {
      case 'note':
        io.stderr(`  note: ${event.message}`);
        return;
      case 'generation':
        if (event.outcome.status !== 'cached' || options.cachedGeneration) io.stdout(`  ${generationLine(event.outcome, io.cwd)}`);
        return;
      case 'step':
        if (event.step === 'generating') io.stdout(event.message);
        else if (event.step === 'removing') io.stdout([`${event.message}:`, ...event.changes.map((change) => `  ${removalLine(change, io.cwd)}`)].join('\n'));
        else if (event.step === 'deploying' || event.step === 'installing') io.stdout(`${event.message}…`);
        return;
      default:
        return;
    }
  };
}
