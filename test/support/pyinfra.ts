/** Finding the real PyInfra and Docker for integration tests, which skip (with a reason) without them. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The pyinfra program on PATH, or undefined. */
export function findPyinfra(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'pyinfra');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The test image, built by test/setup/build-test-image.sh. */
export const TEST_IMAGE = 'clockwork-test/busybox:latest';

/** True when a Docker daemon answers and the test image exists. */
export function dockerWithTestImage(): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', TEST_IMAGE], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Skips the current suite or test with a printed reason. */
export function skipBecause(context: Mocha.Context, reason: string): void {
  console.log(`      (skipped: ${reason})`);
  context.skip();
}

/** Removes a container if it exists (cleanup after docker tests). */
export function removeContainer(name: string): void {
  try {
    execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    // Not there.
  }
}
