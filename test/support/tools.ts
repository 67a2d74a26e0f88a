/**
 * The one place that decides what a test does when a tool it needs is missing. On a developer's
 * machine it skips with a printed reason; under CI=true it FAILS, because `.ci/run` installs every
 * tool the tests use (PyInfra, Docker and the test image, BusyBox, nc, xmllint, sshd, ip, nvim…),
 * so a missing one means a broken CI machine, and a skip there would hide a regression.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The image built by test/setup/build-test-image.sh. */
export const TEST_IMAGE = 'clockwork-test/busybox:latest';

/** How to get each tool the tests use, for the printed reason. */
const INSTALL_HINTS: Readonly<Record<string, string>> = {
  pyinfra: 'pipx install pyinfra, or export PATH="$(bash ../shared/pyinfra/install.sh):$PATH"',
  docker: 'bash test/setup/start-dockerd.sh',
  busybox: 'apt-get install busybox-static',
  nc: 'apt-get install netcat-openbsd',
  xmllint: 'apt-get install libxml2-utils',
  sshd: 'apt-get install openssh-server',
  ssh: 'apt-get install openssh-client',
  ip: 'apt-get install iproute2',
  nvim: 'apt-get install neovim',
  curl: 'apt-get install curl',
};

/** A tool a test needs is missing on a CI machine (CI=true), where `.ci/run` should have installed it. */
export class MissingToolError extends Error {
  /** @param reason what is missing and how to install it */
  constructor(reason: string) {
    super(`${reason}. CI=true: this test must run, and .ci/run installs what it needs; a skip here would hide a regression`);
    this.name = 'MissingToolError';
  }
}

/** True when the tests run under CI (CI=true, or CI=1), where no test may skip for a missing tool. */
export function underCi(): boolean {
  const value = (process.env['CI'] ?? '').toLowerCase();
  return value === 'true' || value === '1';
}

/**
 * Skips the current test (or, from a hook, the suite) with a printed reason, or under CI=true
 * fails it with a MissingToolError saying the same.
 */
export function skipOrFail(context: Mocha.Context, reason: string): never {
  if (underCi()) throw new MissingToolError(reason);
  console.log(`      (skipped: ${reason})`);
  context.skip();
  throw new Error('unreachable: mocha skip() returned');
}

/**
 * For a test that still runs in part without a tool: prints what it leaves out, or under CI=true
 * throws a MissingToolError.
 */
export function partlySkipped(reason: string): void {
  if (underCi()) throw new MissingToolError(reason);
  console.log(`      (partly skipped: ${reason})`);
}

/** The path of an executable `name` on PATH (or on `searchPath`), or undefined. */
export function findCommand(name: string, searchPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Why `name` cannot be used here (not on PATH, with how to install it), or undefined when it can. */
export function commandMissing(name: string): string | undefined {
  if (findCommand(name)) return undefined;
  const hint = INSTALL_HINTS[name];
  return `${name} is not installed (not on PATH${hint ? `; ${hint}` : ''})`;
}

/** The path of `name` on PATH; skips (or under CI=true fails) the test when it is missing. */
export function requireCommand(context: Mocha.Context, name: string): string {
  const missing = commandMissing(name);
  if (missing) skipOrFail(context, missing);
  return findCommand(name) as string;
}

/** The path of the real `pyinfra` on PATH; skips (or under CI=true fails) the test without it. */
export function requirePyinfra(context: Mocha.Context): string {
  return requireCommand(context, 'pyinfra');
}

/** Why Docker tests cannot run here (no engine, or no test image), or undefined when they can. */
export function dockerMissing(): string | undefined {
  if (!findCommand('docker')) return `docker is not installed (${INSTALL_HINTS['docker']})`;
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 });
  } catch {
    return `the Docker engine does not answer (${INSTALL_HINTS['docker']})`;
  }
  try {
    execFileSync('docker', ['image', 'inspect', TEST_IMAGE], { stdio: 'ignore', timeout: 15_000 });
  } catch {
    return `the test image ${TEST_IMAGE} is missing (bash test/setup/build-test-image.sh)`;
  }
  return undefined;
}

/** Skips (or under CI=true fails) the test unless a Docker engine answers and the test image exists. */
export function requireDocker(context: Mocha.Context): void {
  const missing = dockerMissing();
  if (missing) skipOrFail(context, missing);
}
