import * as path from 'node:path';
import { writeJunit } from '../../pipeline/assert/junit.js';
import { runAssertions } from '../../pipeline/assert/run.js';
import type { AssertOutcome } from '../../pipeline/assert/types.js';
import { assertionLine } from '../../render/lines.js';
import { summaryLine } from '../../render/summary.js';
import { cliSettings } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, hostOption, hostOptionHelp, selectedHosts, type Command } from '../command.js';
import { cliReporter } from '../report.js';

/** `clockwork assert`: check every assertion on every host, one result each. */
export const assertCommand: Command = {
  name: 'assert',
  summary: "Check clockwork.ts's assertions on the target hosts (no AI, no API key needed)",
  usage: '[--dir DIR] [--json] [--junit FILE] [--resource NAME] [--host NAME]... [--verbose]',
  options: { ...commonOptions, junit: { type: 'string' }, resource: { type: 'string' }, verbose: { type: 'boolean' }, ...hostOption },
  optionHelp: {
    ...commonOptionHelp,
    junit: '--junit FILE   also write the results as JUnit XML (one testcase per assertion, grouped by resource)',
    resource: '--resource NAME  check only the assertions of this resource',
    verbose: "--verbose      stream PyInfra's output to stderr",
    ...hostOptionHelp('check only on this host'),
  },
  async run(values, io) {
    const settings = cliSettings('assert', values, io);
    const resource = values['resource'] as string | undefined;
    const outcome = await runAssertions({
      settings,
      signal: io.signal,
      ...(resource !== undefined ? { resources: [resource] } : {}),
      ...selectedHosts(values),
      onEvent: cliReporter(io, { json: Boolean(values['json']), verbose: Boolean(values['verbose']) }),
    });
    const junit = values['junit'] as string | undefined;
    if (junit !== undefined) writeJunit(path.resolve(io.cwd, junit), outcome, settings.projectName);
    io.stdout(values['json'] ? JSON.stringify(outcome, null, 2) : renderAssertOutcome(outcome).join('\n'));
    return outcome.ok ? ExitCode.ok : ExitCode.failed;
  },
};

/** The human-readable report: how the checks ran (when not through PyInfra), the summary, then one line per assertion and host. */
export function renderAssertOutcome(outcome: AssertOutcome): string[] {
  const lines = outcome.runner === 'sh' ? [outcome.runnerNote] : [];
  lines.push(summaryLine(outcome));
  // Every host is named but this machine (as in the editor), so `--host web2` still says where.
  const showHost = new Set(outcome.results.map((result) => result.host)).size > 1 || outcome.results.some((result) => result.host !== '@local');
  for (const result of outcome.results) lines.push(`  ${assertionLine(result, { showHost })}`);
  return lines;
}
