/** Entry point of the `clockwork` command (bundled to dist/cli-main.cjs, which dist/cli.cjs loads). */
import { main } from './cli/main.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C cancels the work cleanly; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nCancelling… (press Ctrl-C again to exit now)\n');
  controller.abort();
});

void main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  signal: controller.signal,
  cwd: process.cwd(),
  environment: process.env,
}).then((code) => {
  process.exitCode = interrupted && code !== 0 ? 130 : code;
});
