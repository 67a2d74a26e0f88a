/**
 * Real SSH hosts for tests: a fleet of sshd hosts, each in its own network and mount namespace,
 * started by test/setup/ssh-hosts.sh. Every fleet this module starts has a prefix of its own
 * (from this process's pid), so test files, worktrees and benchmarks that run at the same time
 * never share or remove each other's hosts; a fleet whose process died is pruned by the next start.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './tempProject.js';
import { skipOrFail } from './tools.js';

/** One host of a fleet, as ssh-hosts.sh prints it. */
export interface TestSshHost {
  /** host1, host2, … */
  name: string;
  /** Its IPv4 address, reachable from this machine only. */
  address: string;
  port: number;
  user: string;
  /** The fleet's client key (a path; authorized on every host of the fleet). */
  keyFile: string;
  /** A known_hosts file with every host of the fleet. */
  knownHostsFile: string;
}

const script = path.join(repoRoot, 'test/setup/ssh-hosts.sh');
let fleetsStarted = 0;

/** Why real SSH hosts cannot be started here, or undefined when they can. */
export function sshHostsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'real SSH hosts need root (network namespaces)';
  for (const [file, packageName] of [['/usr/sbin/sshd', 'openssh-server'], ['/usr/lib/openssh/sftp-server', 'openssh-sftp-server'], ['/usr/bin/ssh-keygen', 'openssh-client'], ['/usr/sbin/ip', 'iproute2']] as const) {
    if (!fs.existsSync(file) && !(file === '/usr/sbin/ip' && fs.existsSync('/usr/bin/ip'))) return `${file} is missing (apt-get install -y ${packageName})`;
  }
  return undefined;
}

/** A running fleet of SSH hosts. Call `stop()` (e.g. from an `after` hook) when done. */
export class SshFleet {
  private constructor(
    /** The prefix of its namespaces, interfaces and files. */
    readonly prefix: string,
    /** Its hosts, host1 first. */
    readonly hosts: readonly TestSshHost[],
  ) {}

  /** Starts `count` hosts (bounded: ssh-hosts.sh gives up after 20 s and cleans up). */
  static async start(count: number): Promise<SshFleet> {
    const prefix = `t${process.pid.toString(36)}${(fleetsStarted++).toString(36)}`.slice(0, 8);
    await runScript(['prune']);
    const stdout = await runScript(['up', String(count), '--prefix', prefix]);
    return new SshFleet(prefix, JSON.parse(stdout) as TestSshHost[]);
  }

  /** The host called `name`. */
  host(name: string): TestSshHost {
    const host = this.hosts.find((candidate) => candidate.name === name);
    if (!host) throw new Error(`no host ${name} in fleet ${this.prefix}`);
    return host;
  }

  /** Takes a host off the network (its link goes down): connections to it hang until timeouts. */
  async cut(name: string): Promise<void> {
    await runScript(['cut', name, '--prefix', this.prefix]);
  }

  /** Puts a host cut off by `cut` back on the network. */
  async mend(name: string): Promise<void> {
    await runScript(['mend', name, '--prefix', this.prefix]);
  }

  /** Crashes a host: kills its sshd and every session in it (its /srv and /tmp are lost). */
  async stopHost(name: string): Promise<void> {
    await runScript(['stop', name, '--prefix', this.prefix]);
  }

  /** Boots a host again with a fresh sshd and empty /srv and /tmp; resolves once it answers. */
  async startHost(name: string): Promise<void> {
    await runScript(['start', name, '--prefix', this.prefix]);
  }

  /** Runs `command` (an sh command line) on a host over ssh; resolves with its stdout. */
  async ssh(name: string, command: string): Promise<{ stdout: string; exitCode: number }> {
    const host = this.host(name);
    const run = await execa('ssh', [
      '-i', host.keyFile, '-p', String(host.port),
      '-o', `UserKnownHostsFile=${host.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR',
      `${host.user}@${host.address}`, command,
    ], { reject: false, timeout: 20_000 });
    return { stdout: run.stdout, exitCode: run.exitCode ?? -1 };
  }

  /**
   * A path as the host sees it (its own /srv and /tmp), readable from this machine through its
   * sshd's /proc/PID/root, without a connection: e.g. to watch a run's progress on a host.
   */
  hostPath(name: string, file: string): string {
    const host = this.host(name);
    const pid = fs.readFileSync(path.join(path.dirname(host.keyFile), name, 'sshd.pid'), 'utf8').trim();
    return path.join(`/proc/${pid}/root`, file);
  }

  /**
   * CPU seconds the hosts' sshd have used so far, sessions that ended included (a parent's
   * cumulative children's time): what serving the fleet costs this machine, whose cores all the
   * hosts share (a real fleet has its own).
   */
  sshdCpuSeconds(): number {
    const ticks = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux.
    let total = 0;
    for (const host of this.hosts) {
      const pid = fs.readFileSync(path.join(path.dirname(host.keyFile), host.name, 'sshd.pid'), 'utf8').trim();
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // utime, stime, cutime, cstime are fields 14-17 of /proc/PID/stat (11-14 after the comm field).
      total += [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    }
    return total / ticks;
  }

  /** Stops every host and removes the fleet's namespaces, bridge and files. */
  async stop(): Promise<void> {
    await runScript(['down', '--prefix', this.prefix]);
  }
}

/**
 * Starts a fleet of `count` hosts for the current mocha suite and stops it after the suite.
 * Without root, sshd or iproute2 the suite skips with the reason, except under CI=true, where
 * it fails: CI installs all of them.
 */
export function useSshFleet(count: number): { readonly fleet: SshFleet } {
  const holder: { fleet?: SshFleet } = {};
  before(async function () {
    this.timeout(60_000);
    const reason = sshHostsUnavailable();
    if (reason) skipOrFail(this, reason);
    holder.fleet = await SshFleet.start(count);
  });
  after(async function () {
    this.timeout(30_000);
    await holder.fleet?.stop();
  });
  return {
    get fleet(): SshFleet {
      if (!holder.fleet) throw new Error('the SSH fleet is not up (use `fleet` inside tests, not while declaring them)');
      return holder.fleet;
    },
  };
}

async function runScript(args: string[]): Promise<string> {
  const run = await execa('bash', [script, ...args], { reject: false, timeout: 60_000, env: { CLOCKWORK_SSH_OWNER: String(process.pid) } });
  if (run.exitCode !== 0) throw new Error(`ssh-hosts.sh ${args.join(' ')} failed (exit ${run.exitCode}): ${run.stderr || run.stdout}`);
  return run.stdout;
}
