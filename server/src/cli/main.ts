/** Argument parsing, dispatch, error reporting and exit codes for `clockwork`. */
import { parseArgs } from 'node:util';
import { ClockworkError } from '../model/errors.js';
import { clockworkVersion } from '../pipeline/paths.js';
import { ExitCode, type Command, type CommandIo, type OptionValues } from './command.js';
import { commands } from './commands/index.js';

function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'clockwork: declare infrastructure in clockwork.ts, let the AI fill the gaps, deploy with PyInfra, assert it works.',
    '',
    'Usage: clockwork <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options: --help, --version. Run "clockwork <command> --help" for a command\'s options.',
    'Exit codes: 0 success, 1 the work failed (a deploy error, a failed assertion), 2 bad input or configuration.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: clockwork ${command.name} ${command.usage}`, '', command.summary, '', ...Object.values(command.optionHelp).map((line) => `  ${line}`)].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(mainHelp());
    return first === undefined ? ExitCode.badInput : ExitCode.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(clockworkVersion());
    return ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (!command) {
    io.stderr(`clockwork: unknown command "${first}"\n\n${mainHelp()}`);
    return ExitCode.badInput;
  }
  let values: OptionValues;
  try {
    ({ values } = parseArgs({ args: [...rest], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    io.stderr(`clockwork ${command.name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return ExitCode.badInput;
  }
  if (values['help']) {
    io.stdout(commandHelp(command));
    return ExitCode.ok;
  }
  try {
    return await command.run(values, io);
  } catch (error) {
    return reportError(error, Boolean(values['json']), io);
  }
}

function reportError(error: unknown, json: boolean, io: CommandIo): ExitCode {
  const known = error instanceof ClockworkError;
  const message = known ? error.message : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  io.stderr(`✗ ${message}`);
  if (json) {
    const problems = known && 'problems' in error ? (error as { problems: unknown }).problems : undefined;
    io.stdout(JSON.stringify({ ok: false, error: { type: known ? error.name : 'InternalError', message, ...(problems ? { problems } : {}) } }, null, 2));
  }
  return known ? exitCodeOf(error) : ExitCode.failed;
}

function exitCodeOf(error: ClockworkError): ExitCode {
  const code = (error as { exitCode?: ExitCode }).exitCode;
  return code ?? ExitCode.badInput;
}
