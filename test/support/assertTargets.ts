/**
 * Real targets for assertion checks: files in a temporary folder, the busybox test image
 * serving HTTP on 127.0.0.1, a process with a unique name, and a slow HTTP server.
 */
import * as childProcess from 'node:child_process';
import * as crypto from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { validateSpec, type CheckContext } from '../../server/src/model/define.js';
import { assertionDefinition } from '../../server/src/model/registry.js';
import type { PlannedCheck } from '../../server/src/pipeline/assert/plan.js';
import { dockerMissing, findCommand, TEST_IMAGE } from './tools.js';

export { TEST_IMAGE };

/** Why Docker tests cannot run here, or undefined when they can (see tools.ts: under CI=true a test must not skip for it). */
export async function dockerUnavailable(): Promise<string | undefined> {
  return dockerMissing();
}

/** The path of `pyinfra` on PATH, or undefined. */
export function findPyinfra(): string | undefined {
  return findCommand('pyinfra');
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A unique name of at most 15 characters (the kernel's limit for process names). */
export function uniqueName(prefix: string): string {
  return `${prefix}${crypto.randomBytes(4).toString('hex')}`.slice(0, 15);
}

/** Starts a copy of `sleep` under a unique process name; returns the name and a stop function. */
export function startNamedProcess(dir: string): { name: string; stop: () => void } {
  const name = uniqueName('cwproc');
  const binary = path.join(dir, name);
  fs.copyFileSync(fs.realpathSync(childProcess.execFileSync('sh', ['-c', 'command -v sleep']).toString().trim()), binary);
  fs.chmodSync(binary, 0o755);
  const child = childProcess.spawn(binary, ['600'], { stdio: 'ignore' });
  return { name, stop: () => child.kill('SIGKILL') };
}

/** Starts a low-priority busy loop so the host's CPU use is clearly above zero. */
export function startBusyLoop(): () => void {
  const child = childProcess.spawn('nice', ['-n', '19', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' });
  return () => child.kill('SIGKILL');
}

/** An HTTP server on 127.0.0.1 that answers after `delayMs`. */
export async function startSlowServer(delayMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    setTimeout(() => response.end('slow\n'), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A UDP socket listening on 127.0.0.1. */
export async function startUdpListener(): Promise<{ port: number; stop: () => void }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, stop: () => socket.close() };
}

/** Docker containers for the tests: one serving HTTP (healthy), one created but not started. */
export interface DockerTargets {
  running: string;
  stopped: string;
  port: number;
  url: string;
  stop: () => Promise<void>;
}

/** Starts the test containers (publishing on 127.0.0.1 only). */
export async function startContainers(): Promise<DockerTargets> {
  const running = uniqueName('cw-assert-');
  const stopped = uniqueName('cw-stopped-');
  const port = await freePort();
  await execa('docker', [
    'run', '-d', '--name', running, '-p', `127.0.0.1:${port}:80`,
    '--health-cmd', 'true', '--health-interval', '1s',
    TEST_IMAGE, 'sh', '-c', 'echo "clockwork test ready"; exec /bin/httpd -f -p 80 -h /www',
  ]);
  await execa('docker', ['create', '--name', stopped, TEST_IMAGE]);
  const url = `http://127.0.0.1:${port}/`;
  // Wait until it serves and reports healthy, so passing cases do not depend on retries.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await execa('docker', ['inspect', '--format', '{{.State.Health.Status}}', running], { reject: false });
    const served = await fetch(url).then((response) => response.ok, () => false);
    if (served && health.stdout.trim() === 'healthy') break;
    if (Date.now() > deadline) throw new Error(`container ${running} did not become healthy and serving`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    running,
    stopped,
    port,
    url,
    // busybox httpd ignores SIGTERM as PID 1: remove with force at once.
    stop: async () => {
      await execa('docker', ['rm', '-f', running, stopped], { reject: false });
    },
  };
}

/** A temporary folder with a data file; removed by the returned function. */
export function makeTargetDir(): { dir: string; file: string; content: string; remove: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-assert-')));
  const content = 'hello clockwork\nsecond line\n';
  const file = path.join(dir, 'data.txt');
  fs.writeFileSync(file, content);
  fs.chmodSync(file, 0o640);
  return { dir, file, content, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A planned check for one assertion spec, as the pipeline would compile it. */
export function plannedCheck(kind: string, input: Record<string, unknown>, context: Partial<CheckContext> = {}, resource = 'target'): PlannedCheck {
  const definition = assertionDefinition(kind);
  if (!definition) throw new Error(`unknown assertion ${kind}`);
  const parsed = validateSpec(definition.schema, input);
  if (!parsed.ok) throw new Error(`${kind}: ${parsed.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`);
  const spec = parsed.spec as Record<string, unknown>;
  const full: CheckContext = { projectDir: os.tmpdir(), resourceKind: 'FileResource', resourceName: resource, container: undefined, ...context };
  const compiled = definition.check(spec as never, full);
  const label = definition.label(spec as never);
  return {
    resource,
    resourceKind: full.resourceKind,
    assertion: { kind, index: 0, label },
    isDefault: false,
    expected: compiled.expected,
    check: { ...compiled, timeoutSeconds: spec['timeoutSeconds'] as number },
    timeoutSeconds: spec['timeoutSeconds'] as number,
    location: undefined,
  };
}

/** A folder with BusyBox's applets (sh included), for a PATH of BusyBox tools alone; undefined without busybox. The caller removes it. */
export async function busyboxPath(): Promise<string | undefined> {
  const found = await execa('sh', ['-c', 'command -v busybox'], { reject: false });
  if (found.exitCode !== 0) return undefined;
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-busybox-'));
  await execa(found.stdout.trim(), ['--install', '-s', bin]);
  return bin;
}

/**
 * A target folder (makeTargetDir) for a suite's checks, made before its tests and removed after
 * them with every folder the tests add to `temporary`. Call it in a `describe` body.
 */
export function useTargetDir(): { readonly target: ReturnType<typeof makeTargetDir>; readonly temporary: string[] } {
  let target: ReturnType<typeof makeTargetDir> | undefined;
  const temporary: string[] = [];
  before(() => {
    target = makeTargetDir();
  });
  after(() => {
    target?.remove();
    for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get target() {
      if (!target) throw new Error('the target folder exists only while the suite runs');
      return target;
    },
    temporary,
  };
}
