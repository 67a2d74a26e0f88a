/**
 * Finding the real PyInfra and Docker for integration tests, which skip (with a reason) without
 * them, and fail under CI=true instead (see tools.ts).
 */
import { execFileSync } from 'node:child_process';
import { dockerMissing, findCommand, skipOrFail, TEST_IMAGE } from './tools.js';

export { TEST_IMAGE };

/** The pyinfra program on PATH, or undefined. */
export function findPyinfra(): string | undefined {
  return findCommand('pyinfra');
}

/** True when a Docker daemon answers and the test image exists. */
export function dockerWithTestImage(): boolean {
  return dockerMissing() === undefined;
}

/** Skips the current suite or test with a printed reason; under CI=true fails it instead. */
export function skipBecause(context: Mocha.Context, reason: string): void {
  skipOrFail(context, reason);
}

/** Removes a container if it exists (cleanup after docker tests). */
export function removeContainer(name: string): void {
  try {
    execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    // Not there.
  }
}
