/**
 * Real targets for the resource kinds of issue 15 on this machine: a bare Git repository
 * served over file://, unique user and group names, and one small Debian package (`sl`,
 * 13 kB, which nothing else needs), installed and removed with apt. apt waits for the dpkg
 * lock (other test runs may hold it) instead of failing.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { commandMissing, skipOrFail } from './tools.js';

/** The Debian package the tests install and remove. */
export const TEST_PACKAGE = 'sl';

/** Why the host-level resource tests cannot run here (they need root, PyInfra and git), or undefined. */
export function hostTestsUnavailable(): string | undefined {
  const missing = commandMissing('pyinfra') ?? commandMissing('git');
  if (missing) return missing;
  if (process.getuid?.() !== 0) return 'these tests make users, groups and packages, which needs root';
  return undefined;
}

/** Skips the suite with a printed reason, or fails under CI=true, where these tests must run. */
export function requireHostTests(context: Mocha.Context): void {
  const reason = hostTestsUnavailable();
  if (reason) skipOrFail(context, reason);
}

/** A user or group name no one else uses: `prefix` + 8 hex digits. */
export function uniqueAccount(prefix: string): string {
  return `${prefix}${crypto.randomBytes(4).toString('hex')}`;
}

/** True when the account exists in /etc/passwd (`user`) or /etc/group (`group`). */
export function accountExists(kind: 'user' | 'group', name: string): boolean {
  const file = kind === 'user' ? '/etc/passwd' : '/etc/group';
  return fs.readFileSync(file, 'utf8').split('\n').some((line) => line.split(':')[0] === name);
}

/** Removes test accounts that may be left from a failed run (ignores missing ones). */
export async function removeAccounts(users: readonly string[], groups: readonly string[]): Promise<void> {
  for (const user of users) await execa('userdel', [user], { reject: false });
  for (const group of groups) await execa('groupdel', [group], { reject: false });
}

/** A bare repository (branch main, one commit) and a function that pushes another commit to it. */
export async function bareRepository(): Promise<{ url: string; dir: string; push: (file: string, content: string) => Promise<string>; remove: () => void }> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-git-')));
  const bare = path.join(dir, 'origin.git');
  const work = path.join(dir, 'work');
  const git = (cwd: string, ...args: string[]) =>
    execa('git', ['-c', 'user.name=Clockwork Test', '-c', 'user.email=test@clockwork.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd });
  await git(dir, 'init', '--quiet', '--bare', bare);
  await git(dir, 'init', '--quiet', work);
  const push = async (file: string, content: string): Promise<string> => {
    fs.writeFileSync(path.join(work, file), content);
    await git(work, 'add', file);
    await git(work, 'commit', '--quiet', '-m', `add ${file}`);
    await git(work, 'push', '--quiet', bare, 'HEAD:main');
    return (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
  };
  await push('README.md', '# Site\n');
  return { url: `file://${bare}`, dir, push, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The commit a checkout has checked out. */
export async function headOf(checkout: string): Promise<string> {
  return (await execa('git', ['-C', checkout, 'rev-parse', 'HEAD'])).stdout.trim();
}

/** True when dpkg says the package is installed. */
export async function packageInstalled(name: string): Promise<boolean> {
  const result = await execa('dpkg-query', ['-W', '-f=${Status}', name], { reject: false });
  return result.stdout.trim() === 'install ok installed';
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const WAIT_FOR_LOCK = ['-o', 'DPkg::Lock::Timeout=300'];

/** Makes sure apt knows the test package (updates the package lists once if it does not). */
export async function ensurePackageKnown(name: string): Promise<void> {
  const known = await execa('apt-cache', ['show', '--no-all-versions', name], { reject: false });
  if (known.exitCode === 0 && known.stdout.includes(`Package: ${name}`)) return;
  await execa('apt-get', ['update', '-qq', ...WAIT_FOR_LOCK], { env: APT_ENV, timeout: 300_000 });
}

/** Purges the test package if it is installed (a run that failed half-way may have left it). */
export async function purgePackage(name: string): Promise<void> {
  if (!(await packageInstalled(name))) return;
  await execa('apt-get', ['purge', '-y', '-qq', ...WAIT_FOR_LOCK, name], { env: APT_ENV, timeout: 300_000 });
}
