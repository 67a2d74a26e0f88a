import { z } from 'zod';
import { sh } from '../check.js';
import { defineAssertion } from '../define.js';
import { describeValue } from '../errors.js';
import { assertionCommonFields, regexPattern, text } from '../fields.js';

/** Checks a command's exit code and output. */
export const CommandAssert = defineAssertion({
  kind: 'CommandAssert',
  summary:
    'Passes when a command run with sh on the host exits with the expected code (default 0) and its stdout / stderr match the patterns given.',
  example: 'new CommandAssert({ command: "nginx -t", stderrPattern: "syntax is ok" })',
  appliesTo: { native: [], elsewhere: 'any' },
  label: (spec) => (spec.command.length > 40 ? `${spec.command.slice(0, 39)}…` : spec.command),
  check: (spec) => ({
    expected: [
      `exit ${spec.exitCode}`,
      spec.stdoutPattern !== undefined && `stdout matches /${spec.stdoutPattern}/`,
      spec.stderrPattern !== undefined && `stderr matches /${spec.stderrPattern}/`,
    ]
      .filter(Boolean)
      .join(', '),
    values: {
      command: spec.command,
      exit: spec.exitCode,
      has_stdout: spec.stdoutPattern !== undefined,
      stdout: spec.stdoutPattern,
      has_stderr: spec.stderrPattern !== undefined,
      stderr: spec.stderrPattern,
    },
    // The command is the user's own sh code, passed to sh -c as one argument.
    waits: true,
    attempt: sh`
cw_dir=$(mktemp -d 2>/dev/null) || { cw_error 'mktemp is not installed on this host (needed to capture the output)'; return; }
if cw_has timeout; then timeout "$(cw_remaining)" sh -c "$v_command" >"$cw_dir/out" 2>"$cw_dir/err" </dev/null
else sh -c "$v_command" >"$cw_dir/out" 2>"$cw_dir/err" </dev/null; fi
cw_rc=$?
cw_last=$(sed -n '/./p' "$cw_dir/err" | tail -n 1)
cw_bad=; cw_act="exit $cw_rc"
if [ "$cw_rc" != "$v_exit" ]; then
  case $cw_rc in
    127) cw_error "the command was not found on this host: \${cw_last:-exit 127}" "$cw_act"; rm -rf "$cw_dir"; return ;;
    126) cw_error "the command could not be run: \${cw_last:-exit 126}" "$cw_act"; rm -rf "$cw_dir"; return ;;
    124|143) cw_has timeout && cw_act="$cw_act (stopped: no end within the timeout)" ;;
  esac
  cw_bad="exited $cw_rc\${cw_last:+: $cw_last}"
fi
if [ -n "$v_has_stdout" ] && ! grep -E -q -e "$v_stdout" "$cw_dir/out"; then
  cw_act="$cw_act, stdout does not match"; cw_bad="\${cw_bad:+$cw_bad; }stdout does not match: $(head -c 200 "$cw_dir/out")"
fi
if [ -n "$v_has_stderr" ] && ! grep -E -q -e "$v_stderr" "$cw_dir/err"; then
  cw_act="$cw_act, stderr does not match"; cw_bad="\${cw_bad:+$cw_bad; }stderr does not match: $(head -c 200 "$cw_dir/err")"
fi
rm -rf "$cw_dir"
if [ -z "$cw_bad" ]; then cw_pass "$cw_act"; else cw_fail "$cw_act" "$cw_bad"; fi`,
  }),
  schema: z.strictObject({
    command: text('a command').describe('The command, run with sh -c on the host (its own code: quote as sh needs).'),
    exitCode: z
      .number({ error: (issue) => `expected an exit code from 0 to 255, got ${describeValue(issue.input)}` })
      .int({ error: (issue) => `expected a whole exit code, got ${describeValue(issue.input)}` })
      .min(0, { error: (issue) => `expected an exit code from 0 to 255, got ${describeValue(issue.input)}` })
      .max(255, { error: (issue) => `expected an exit code from 0 to 255, got ${describeValue(issue.input)}` })
      .default(0)
      .describe('The exit code the command must end with.'),
    stdoutPattern: regexPattern().optional().describe('An extended regular expression (grep -E) that must match a line of stdout.'),
    stderrPattern: regexPattern().optional().describe('An extended regular expression (grep -E) that must match a line of stderr.'),
    ...assertionCommonFields,
  }),
});
