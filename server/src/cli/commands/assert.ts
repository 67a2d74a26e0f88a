import * as path from 'node:path';
import { assertionTitle, writeJunit } from '../../pipeline/assert/junit.js';
import { runAssertions } from '../../pipeline/assert/run.js';
import type { AssertionResult, AssertResult } from '../../pipeline/assert/types.js';
import { resolveSettings } from '../../pipeline/settings.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';

/** `clockwork assert`: check every assertion on every host, one result each. */
export const assertCommand: Command = {
  name: 'assert',
  summary: "Check clockwork.ts's assertions on the target hosts (no AI, no API key needed)",
  usage: '[--dir DIR] [--json] [--junit FILE] [--resource NAME] [--verbose]',
  options: { ...commonOptions, junit: { type: 'string' }, resource: { type: 'string' }, verbose: { type: 'boolean' } },
  optionHelp: {
    ...commonOptionHelp,
    junit: '--junit FILE   also write the results as JUnit XML (one testcase per assertion, grouped by resource)',
    resource: '--resource NAME  check only the assertions of this resource',
    verbose: "--verbose      stream PyInfra's output to stderr",
  },
  async run(values, io) {
    const projectDir = path.resolve(io.cwd, (values['dir'] as string | undefined) ?? '.');
    const settings = resolveSettings({ projectDir, environment: io.environment });
    const resource = values['resource'] as string | undefined;
    const run = await runAssertions({
      settings,
      signal: io.signal,
      ...(resource !== undefined ? { resources: [resource] } : {}),
      ...(values['verbose'] ? { onOutput: (line: string) => io.stderr(line) } : {}),
    });
    const junit = values['junit'] as string | undefined;
    if (junit !== undefined) writeJunit(path.resolve(io.cwd, junit), run, settings.projectName);
    io.stdout(values['json'] ? JSON.stringify(run, null, 2) : renderAssertResult(run).join('\n'));
    return run.ok ? ExitCode.ok : ExitCode.failed;
  },
};

/** The human-readable report: a summary line, then one line per assertion and host. */
export function renderAssertResult(run: AssertResult): string[] {
  const lines = run.runner === 'sh' ? [run.runnerNote] : [];
  const { total, passed, failed, error } = run.counts;
  if (total === 0) return [...lines, 'No assertions to check.'];
  if (run.ok) lines.push(`✓ All assertions passed (${total})`);
  else {
    const parts = [failed > 0 ? `${failed} failed` : '', error > 0 ? `${error} could not run` : ''].filter(Boolean);
    lines.push(`✗ ${parts.join(', ')} of ${total} assertions (${passed} passed)`);
  }
  const hosts = new Set(run.results.map((result) => result.host));
  for (const result of run.results) lines.push(`  ${resultLine(result, hosts.size > 1)}`);
  return lines;
}

function resultLine(result: AssertionResult, showHost: boolean): string {
  const mark = result.status === 'passed' ? '✓' : '✗';
  const where = showHost ? ` on ${result.host}` : '';
  const head = `${mark} ${result.resource}: ${assertionTitle(result)}${where}`;
  if (result.status === 'passed') return head;
  const detail = result.message || `expected ${result.expected}, got ${result.actual || 'nothing'}`;
  return `${head} — ${result.status === 'error' ? `could not run: ${detail}` : detail}`;
}
