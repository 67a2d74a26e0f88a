/**
 * The assertion cases of test/unit/assertions.test.ts (a passing and a failing case for each
 * of the assertion kinds) and the real targets they run against, shared with
 * test/bench/assert.bench.ts so the benchmark times the same suite.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckContext } from '../../server/src/model/define.js';
import { pythonLiteral } from '../../server/src/codegen/python.js';
import type { PlannedCheck } from '../../server/src/pipeline/assert/plan.js';
import {
  dockerUnavailable,
  freePort,
  makeTargetDir,
  plannedCheck,
  startBusyLoop,
  startContainers,
  startNamedProcess,
  startSlowServer,
  startUdpListener,
  type DockerTargets,
} from './assertTargets.js';
import type { TestSshHost } from './sshHosts.js';

/** What the cases run against. */
export interface Targets {
  dir: string;
  file: string;
  content: string;
  sha256: string;
  processName: string;
  absentName: string;
  closedPort: number;
  udpPort: number;
  fastUrl: string;
  slowUrl: string;
  docker: DockerTargets | undefined;
}

export interface Case {
  title: string;
  kind: string;
  expect: 'passed' | 'failed';
  docker?: boolean;
  spec: (t: Targets) => Record<string, unknown>;
  context?: (t: Targets) => Partial<CheckContext>;
  /** The actual value reported. */
  actual?: RegExp;
  /** The status expected with BusyBox tools alone, when it differs (no tool for the check). */
  busybox?: 'error';
}

const FAST = { timeoutSeconds: 0.5 };
const onDocker = (t: Targets): Partial<CheckContext> => ({
  resourceKind: 'DockerServiceResource',
  resourceName: t.docker?.running ?? 'none',
  container: t.docker?.running,
});

export const CASES: Case[] = [
  { title: 'HTTP GET answers 200', kind: 'HealthcheckAssert', expect: 'passed', docker: true, spec: (t) => ({ url: t.docker?.url }), actual: /^200$/ },
  { title: 'a missing page answers 404, not 200', kind: 'HealthcheckAssert', expect: 'failed', docker: true, spec: (t) => ({ url: `${t.docker?.url}missing.html`, ...FAST }), actual: /^404$/ },
  { title: 'the published port accepts TCP', kind: 'PortAccessibleAssert', expect: 'passed', docker: true, spec: (t) => ({ port: t.docker?.port, host: '127.0.0.1' }), actual: /open/ },
  { title: 'a closed port is refused', kind: 'PortAccessibleAssert', expect: 'failed', spec: (t) => ({ port: t.closedPort, host: '127.0.0.1', ...FAST }), actual: /refused/ },
  { title: 'a UDP listener is not refused', kind: 'PortAccessibleAssert', busybox: 'error', expect: 'passed', spec: (t) => ({ port: t.udpPort, host: '127.0.0.1', protocol: 'udp' }) },
  { title: 'a closed UDP port is refused', kind: 'PortAccessibleAssert', busybox: 'error', expect: 'failed', spec: (t) => ({ port: t.closedPort, host: '127.0.0.1', protocol: 'udp', ...FAST }), actual: /refused/ },
  { title: 'the page arrives within 5 s', kind: 'ResponseTimeAssert', expect: 'passed', docker: true, spec: (t) => ({ url: t.docker?.url, maxMs: 5000 }), actual: /^\d+ ms$/ },
  { title: 'a 400 ms answer is slower than 150 ms', kind: 'ResponseTimeAssert', expect: 'failed', spec: (t) => ({ url: t.slowUrl, maxMs: 150, ...FAST }), actual: /^(> )?(4\d\d|[5-9]\d\d|\d{4,}) ms$/ },
  { title: 'the container runs (default: the resource)', kind: 'ContainerRunningAssert', expect: 'passed', docker: true, spec: () => ({}), context: onDocker, actual: /^running$/ },
  { title: 'a created, never started container is not running', kind: 'ContainerRunningAssert', expect: 'failed', docker: true, spec: (t) => ({ containerName: t.docker?.stopped, ...FAST }), actual: /^created$/ },
  { title: 'the container is healthy', kind: 'ContainerHealthyAssert', expect: 'passed', docker: true, spec: () => ({}), context: onDocker, actual: /^healthy$/ },
  { title: 'a container without health check is not healthy', kind: 'ContainerHealthyAssert', expect: 'failed', docker: true, spec: (t) => ({ containerName: t.docker?.stopped, ...FAST }), actual: /no health check/ },
  { title: 'the log holds the ready line', kind: 'LogContainsAssert', expect: 'passed', docker: true, spec: () => ({ pattern: 'clockwork (test)? ?ready', lines: 10 }), context: onDocker, actual: /^1 lines searched$/ },
  { title: 'the log lacks a line never printed', kind: 'LogContainsAssert', expect: 'failed', docker: true, spec: () => ({ pattern: 'never printed', ...FAST }), context: onDocker, actual: /lines searched/ },
  { title: 'the data file exists (relative path)', kind: 'FileExistsAssert', expect: 'passed', spec: () => ({ path: 'data.txt' }), actual: /exists/ },
  { title: 'a missing file does not exist', kind: 'FileExistsAssert', expect: 'failed', spec: (t) => ({ path: path.join(t.dir, 'missing.txt'), ...FAST }), actual: /missing/ },
  { title: 'mode 640 and owner match', kind: 'FilePermissionsAssert', expect: 'passed', spec: (t) => ({ path: t.file, mode: '0640', owner: os.userInfo().username }), actual: /mode 640/ },
  { title: 'mode 600 does not match 640', kind: 'FilePermissionsAssert', expect: 'failed', spec: (t) => ({ path: t.file, mode: '600', ...FAST }), actual: /mode 640/ },
  { title: 'the size is within bounds', kind: 'FileSizeAssert', expect: 'passed', spec: (t) => ({ path: t.file, minBytes: 10, maxBytes: 100 }), actual: /^28 bytes$/ },
  { title: 'the size exceeds 5 bytes', kind: 'FileSizeAssert', expect: 'failed', spec: (t) => ({ path: t.file, maxBytes: 5, ...FAST }), actual: /^28 bytes$/ },
  { title: 'the pattern and digest match', kind: 'FileContentMatchesAssert', expect: 'passed', spec: (t) => ({ path: t.file, pattern: '^second [a-z]+$', sha256: t.sha256.toUpperCase() }), actual: /match, sha256 [0-9a-f]{64}/ },
  { title: 'an absent pattern does not match', kind: 'FileContentMatchesAssert', expect: 'failed', spec: (t) => ({ path: t.file, pattern: 'goodbye', ...FAST }), actual: /^\d+ bytes, \d+ lines?: ".*"/ },
  { title: 'host memory is under a huge bound', kind: 'MemoryUsageAssert', expect: 'passed', spec: () => ({ maxMb: 10_000_000 }), actual: /^\d+(\.\d)? MB$/ },
  { title: 'host memory is over 1 MB', kind: 'MemoryUsageAssert', expect: 'failed', spec: () => ({ maxMb: 1, ...FAST }), actual: /^\d+(\.\d)? MB$/ },
  { title: 'the container uses under 500 MB', kind: 'MemoryUsageAssert', expect: 'passed', docker: true, spec: () => ({ maxMb: 500 }), context: onDocker, actual: /MB$/ },
  { title: 'host CPU is at most 100 %', kind: 'CpuUsageAssert', expect: 'passed', spec: () => ({ maxPercent: 100 }), actual: /^\d+(\.\d)? %$/ },
  { title: 'host CPU with a busy loop is over 0 %', kind: 'CpuUsageAssert', expect: 'failed', spec: () => ({ maxPercent: 0, ...FAST }), actual: /^\d+(\.\d)? %$/ },
  { title: 'the disk is at most 100 % full', kind: 'DiskUsageAssert', expect: 'passed', spec: (t) => ({ path: t.dir, maxPercent: 100 }), actual: /% used, \d+ MB used/ },
  { title: 'the disk uses more than 1 MB', kind: 'DiskUsageAssert', expect: 'failed', spec: (t) => ({ path: t.dir, maxMb: 1, ...FAST }), actual: /% used/ },
  { title: 'the started process runs', kind: 'ProcessRunningAssert', expect: 'passed', spec: (t) => ({ name: t.processName }), actual: /^1$/ },
  { title: 'two of it do not run', kind: 'ProcessRunningAssert', expect: 'failed', spec: (t) => ({ name: t.processName, minCount: 2, ...FAST }), actual: /^1$/ },
  { title: 'an unknown name is not running', kind: 'ProcessNotRunningAssert', expect: 'passed', spec: (t) => ({ name: t.absentName }), actual: /^0$/ },
  { title: 'the started process is running, with its pid', kind: 'ProcessNotRunningAssert', expect: 'failed', spec: (t) => ({ name: t.processName, ...FAST }), actual: /^1 \(pids \d+\)$/ },
];

/** The running targets, why Docker cases cannot run (if so), and a function that stops it all. */
export interface CaseTargets {
  targets: Targets;
  dockerSkip: string | undefined;
  stop: () => Promise<void>;
}

/** Starts every target the cases need (Docker ones only when Docker is usable). */
export async function startTargets(): Promise<CaseTargets> {
  const cleanups: (() => void | Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const made = makeTargetDir();
    cleanups.push(made.remove);
    const proc = startNamedProcess(made.dir);
    cleanups.push(proc.stop);
    const slow = await startSlowServer(400);
    const fast = await startSlowServer(0);
    cleanups.push(slow.stop, fast.stop);
    const udp = await startUdpListener();
    cleanups.push(udp.stop);
    cleanups.push(startBusyLoop());
    const targets: Targets = {
      dir: made.dir,
      file: made.file,
      content: made.content,
      sha256: createHash('sha256').update(made.content).digest('hex'),
      processName: proc.name,
      absentName: `${proc.name.slice(0, 10)}none`,
      closedPort: await freePort(),
      udpPort: udp.port,
      fastUrl: fast.url,
      slowUrl: slow.url,
      docker: undefined,
    };
    const dockerSkip = await dockerUnavailable();
    if (!dockerSkip) {
      targets.docker = await startContainers();
      cleanups.push(targets.docker.stop);
    }
    return { targets, dockerSkip, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The cases that can run here (Docker ones only with Docker). */
export function runnableCases(dockerSkip: string | undefined): Case[] {
  return CASES.filter((c) => !(c.docker && dockerSkip));
}

/** The planned check of a case. */
export function caseCheck(c: Case, targets: Targets): PlannedCheck {
  return plannedCheck(c.kind, c.spec(targets), { projectDir: targets.dir, ...(c.context?.(targets) ?? {}) });
}

/** A PyInfra inventory (Python source) for hosts of test/setup/ssh-hosts.sh, named host1, host2… */
export function sshInventory(hosts: readonly TestSshHost[]): string {
  const entries = hosts.map((host) => {
    const data = {
      ssh_hostname: host.address,
      ssh_port: host.port,
      ssh_user: host.user,
      ssh_key: host.keyFile,
      ssh_known_hosts_file: host.knownHostsFile,
      ssh_strict_host_key_checking: 'yes',
    };
    return `    (${pythonLiteral(host.name)}, ${pythonLiteral(data)}),`;
  });
  return `hosts = [\n${entries.join('\n')}\n]\n`;
}
