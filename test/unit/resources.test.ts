/**
 * The seven resource kinds of issue 15 on this machine, through real PyInfra, as root:
 * directories, a template-rendered file, a Git checkout of a bare repository served over
 * file://, a user and a group, a Debian package from Debian's registry, a symlink.
 * Apply → apply (no change) → destroy for every kind; a failing case for every kind;
 * destroy keeping what existed before apply (and saying so); apt missing on the host.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apply, type ApplyOutcome } from '../../server/src/pipeline/apply.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import { destroy } from '../../server/src/pipeline/destroy.js';
import { resolveSettings, type Settings } from '../../server/src/pipeline/settings.js';
import { readState } from '../../server/src/pipeline/state.js';
import { runCli } from '../support/cli.js';
import {
  accountExists,
  bareRepository,
  ensurePackageKnown,
  headOf,
  packageInstalled,
  purgePackage,
  removeAccounts,
  requireHostTests,
  TEST_PACKAGE,
  uniqueAccount,
} from '../support/hostTargets.js';
import { findPyinfra } from '../support/pyinfra.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

const IMPORTS = `import {
  DirectoryResource, GitRepoResource, GroupResource, PackageResource, SymlinkResource, TemplateFileResource, UserResource,
} from 'clockwork';
`;

function settingsFor(dir: string): Settings {
  return { ...resolveSettings({ projectDir: dir, environment: {} }), searchPath: process.env['PATH'] ?? '' };
}

const statuses = (result: ApplyOutcome | Awaited<ReturnType<typeof destroy>>): string[] =>
  result.results.map((r) => `${r.kind} ${r.resource}: ${r.status}${r.note ? ` (${r.note})` : ''}${r.error ? ` [${r.error.split('\n')[0]}]` : ''}`);

const ownerOf = (file: string): { user: string; group: string; mode: number } => {
  const stat = fs.lstatSync(file);
  const name = (id: number, db: string): string =>
    fs.readFileSync(db, 'utf8').split('\n').find((line) => line.split(':')[2] === String(id))?.split(':')[0] ?? String(id);
  return { user: name(stat.uid, '/etc/passwd'), group: name(stat.gid, '/etc/group'), mode: stat.mode & 0o777 };
};

describe('the seven new resource kinds on this machine (real PyInfra, as root)', function () {
  this.timeout(300_000);
  const users: string[] = [];
  const groups: string[] = [];
  const cleanups: (() => void)[] = [];

  before(async function () {
    requireHostTests(this);
    await ensurePackageKnown(TEST_PACKAGE);
  });

  after(async () => {
    await removeAccounts(users, groups);
    for (const cleanup of cleanups) cleanup();
    removeProjects();
  });

  it('every kind: apply creates it, apply again changes nothing, a new commit is pulled, destroy removes exactly it', async () => {
    const user = uniqueAccount('cwu');
    const group = uniqueAccount('cwg');
    users.push(user);
    groups.push(group);
    const repo = await bareRepository();
    cleanups.push(repo.remove);
    await purgePackage(TEST_PACKAGE);
    const dir = makeProject({
      'clockwork.ts': `${IMPORTS}
const team = new GroupResource({ name: 'team', group: '${group}', system: true });
const app = new UserResource({ name: 'app', user: '${user}', group: '${group}', home: '__DIR__/home', shell: '/usr/sbin/nologin', system: true, dependsOn: [team] });
const site = new DirectoryResource({ name: 'site', mode: '750', user: '${user}', group: '${group}', dependsOn: [app] });
const conf = new TemplateFileResource({
  name: 'site.conf',
  directory: 'site',
  template: 'listen {{ port }};\\n{% for address in allow %}allow {{ address }};\\n{% endfor %}',
  variables: { port: 8080, allow: ['127.0.0.1', '::1'] },
  mode: '640',
  dependsOn: [site],
});
const src = new GitRepoResource({ name: 'src', repoUrl: '${repo.url}', dest: 'site/src', branch: 'main', dependsOn: [site] });
const current = new SymlinkResource({ name: 'current', path: 'current', target: 'site/src', dependsOn: [src] });
const tools = new PackageResource({ name: 'tools', packages: ['dpkg', '${TEST_PACKAGE}'] });
export default [team, app, site, conf, src, current, tools];
`,
    });
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), fs.readFileSync(path.join(dir, 'clockwork.ts'), 'utf8').replace('__DIR__', dir));
    const settings = settingsFor(dir);

    const first = await apply({ settings });
    assert.equal(first.ok, true, statuses(first).join('\n'));
    assert.deepEqual(statuses(first), [
      'GroupResource team: changed',
      'UserResource app: changed',
      'DirectoryResource site: changed',
      'TemplateFileResource site.conf: changed',
      'GitRepoResource src: changed',
      'SymlinkResource current: changed',
      'PackageResource tools: changed',
    ]);
    assert.ok(accountExists('group', group));
    const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith(`${user}:`)) ?? '';
    assert.match(passwd, new RegExp(`:${dir}/home:/usr/sbin/nologin$`));
    assert.deepEqual(ownerOf(path.join(dir, 'home')), { user, group, mode: ownerOf(path.join(dir, 'home')).mode });
    assert.deepEqual(ownerOf(path.join(dir, 'site')), { user, group, mode: 0o750 });
    assert.equal(fs.readFileSync(path.join(dir, 'site/site.conf'), 'utf8'), 'listen 8080;\nallow 127.0.0.1;\nallow ::1;\n');
    assert.equal(ownerOf(path.join(dir, 'site/site.conf')).mode, 0o640);
    assert.equal(fs.readFileSync(path.join(dir, 'site/src/README.md'), 'utf8'), '# Site\n');
    assert.equal(fs.readlinkSync(path.join(dir, 'current')), 'site/src');
    assert.equal(await packageInstalled(TEST_PACKAGE), true);
    // What the host held before: nothing of it (recorded, so destroy removes it all).
    assert.deepEqual(
      readState(settings.stateDir).map((record) => [record.name, record.identity.type, record.prior, record.dependsOn]),
      [
        ['team', 'group', { existed: [] }, undefined],
        ['app', 'user', { existed: [], home: false }, ['team']],
        ['site', 'directory', { existed: false }, ['app']],
        ['site.conf', 'file', undefined, ['site']],
        ['src', 'repository', { existed: false }, ['site']],
        ['current', 'link', undefined, ['src']],
        ['tools', 'packages', { installed: ['dpkg'] }, undefined],
      ],
    );
    // The default assertions of every kind pass.
    const checked = await runAssertions({ settings });
    assert.deepEqual(
      checked.results.filter((r) => r.status !== 'passed').map((r) => `${r.resource} ${r.assertion.kind}: ${r.message}`),
      [],
    );
    assert.deepEqual([...new Set(checked.results.map((r) => r.assertion.kind))].sort(), [
      'FileExistsAssert', 'FileOwnerAssert', 'FilePermissionsAssert', 'GroupExistsAssert', 'PackageInstalledAssert', 'UserExistsAssert',
    ]);

    const second = await apply({ settings });
    assert.equal(second.ok, true, statuses(second).join('\n'));
    assert.deepEqual(second.results.map((r) => r.status), Array(7).fill('unchanged'));

    const pushed = await repo.push('index.html', '<h1>v2</h1>\n');
    const third = await apply({ settings });
    assert.deepEqual(statuses(third).filter((line) => !line.endsWith(': unchanged')), ['GitRepoResource src: changed']);
    assert.equal(await headOf(path.join(dir, 'site/src')), pushed);

    const gone = await destroy({ settings });
    assert.equal(gone.ok, true, statuses(gone).join('\n'));
    assert.deepEqual(statuses(gone), [
      'PackageResource tools: changed (kept dpkg: it was installed before apply)',
      'SymlinkResource current: changed',
      'GitRepoResource src: changed',
      'TemplateFileResource site.conf: changed',
      'DirectoryResource site: changed',
      'UserResource app: changed',
      'GroupResource team: changed',
    ]);
    assert.deepEqual(fs.readdirSync(dir), ['clockwork.ts']);
    assert.equal(accountExists('user', user), false);
    assert.equal(accountExists('group', group), false);
    assert.equal(await packageInstalled(TEST_PACKAGE), false);
    assert.equal(await packageInstalled('dpkg'), true);
  });

  it('destroy keeps what existed before apply, and a folder or checkout holding work it did not make, and says so', async () => {
    const repo = await bareRepository();
    cleanups.push(repo.remove);
    const dir = makeProject({
      'clockwork.ts': `${IMPORTS}
export default [
  new DirectoryResource({ name: 'existing', mode: '755' }),
  new DirectoryResource({ name: 'made' }),
  new GroupResource({ name: 'daemon-group', group: 'daemon' }),
  new UserResource({ name: 'daemon-user', user: 'daemon' }),
  new GitRepoResource({ name: 'src', repoUrl: '${repo.url}', dest: 'src' }),
];
`,
      'existing/mine.txt': 'the user’s own\n',
    });
    const settings = settingsFor(dir);
    const applied = await apply({ settings });
    assert.equal(applied.ok, true, statuses(applied).join('\n'));
    fs.writeFileSync(path.join(dir, 'made/foreign.txt'), 'not made by Clockwork\n');
    fs.writeFileSync(path.join(dir, 'src/README.md'), 'edited on the server\n');

    const run = await runCli(['destroy'], { cwd: dir });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    const expectLine = (pattern: RegExp): void => assert.ok(lines.some((line) => pattern.test(line)), `${pattern} not in:\n${run.stdout}`);
    expectLine(/^ {2}= DirectoryResource existing → directory existing: kept$/);
    expectLine(new RegExp(`^ {6}kept ${dir}/existing: it existed before apply$`));
    expectLine(/^ {2}= DirectoryResource made → directory made: kept$/);
    expectLine(new RegExp(`^ {6}kept ${dir}/made: it holds files Clockwork did not make \\(foreign\\.txt\\)$`));
    expectLine(/^ {2}= GroupResource daemon-group → group daemon: kept$/);
    expectLine(/^ {6}kept group daemon: it existed before apply$/);
    expectLine(/^ {2}= UserResource daemon-user → user daemon: kept$/);
    expectLine(/^ {6}kept user daemon: it existed before apply$/);
    expectLine(/^ {2}= GitRepoResource src → repository src: kept$/);
    expectLine(new RegExp(`^ {6}kept ${dir}/src: it has changes that are not committed$`));
    assert.match(run.stdout, /✓ Destroyed 0 resource\(s\), kept 5$/);
    assert.equal(fs.readFileSync(path.join(dir, 'existing/mine.txt'), 'utf8'), 'the user’s own\n');
    assert.equal(fs.readFileSync(path.join(dir, 'made/foreign.txt'), 'utf8'), 'not made by Clockwork\n');
    assert.equal(fs.readFileSync(path.join(dir, 'src/README.md'), 'utf8'), 'edited on the server\n');
    assert.ok(accountExists('user', 'daemon') && accountExists('group', 'daemon'));
    // Kept is done with: nothing is left recorded.
    assert.equal(fs.existsSync(path.join(dir, '.clockwork')), false);
  });

  it('every kind fails clearly on a host that cannot take it, and the others still deploy', async () => {
    const user = uniqueAccount('cwf');
    users.push(user);
    const group = uniqueAccount('cwf');
    groups.push(group);
    const dir = makeProject({
      'clockwork.ts': `${IMPORTS}
export default [
  new DirectoryResource({ name: 'blocked', path: 'plain.txt/sub' }),
  new TemplateFileResource({ name: 'a.conf', template: '{% if open %}port 80', variables: { open: true } }),
  new GitRepoResource({ name: 'src', repoUrl: 'file://${os.tmpdir()}/clockwork-no-such-repo.git', dest: 'src' }),
  new UserResource({ name: '${user}', group: 'cwnosuchgroup' }),
  new GroupResource({ name: '${group}', gid: 1 }),
  new PackageResource({ name: 'tools', packages: ['clockwork-no-such-package'] }),
  new SymlinkResource({ name: 'link', path: 'plain.txt', target: '/etc/hostname' }),
  new DirectoryResource({ name: 'fine' }),
];
`,
      'plain.txt': 'a plain file\n',
    });
    const result = await apply({ settings: settingsFor(dir) });
    assert.equal(result.ok, false);
    const errors = Object.fromEntries(result.results.map((r) => [r.resource, `${r.status}: ${r.error ?? ''}`]));
    assert.match(errors['blocked'] ?? '', /^failed: .*Not a directory/);
    assert.match(errors['a.conf'] ?? '', /^failed: [\s\S]*Unexpected end of template/);
    assert.match(errors['src'] ?? '', /^failed: [\s\S]*(does not exist|does not appear to be a git repository)/);
    assert.match(errors[user] ?? '', /^failed: .*group 'cwnosuchgroup' does not exist/);
    assert.match(errors[group] ?? '', /^failed: .*GID '1' already exists/);
    assert.match(errors['tools'] ?? '', /^failed: .*Unable to locate package clockwork-no-such-package/);
    assert.match(errors['link'] ?? '', /^failed: .*plain\.txt exists and is not a link/);
    assert.equal(errors['fine'], 'changed: ');
    assert.equal(fs.readFileSync(path.join(dir, 'plain.txt'), 'utf8'), 'a plain file\n');
    assert.equal(accountExists('user', user) || accountExists('group', group), false);
    const gone = await destroy({ settings: settingsFor(dir) });
    assert.equal(gone.ok, true, statuses(gone).join('\n'));
    assert.equal(fs.readFileSync(path.join(dir, 'plain.txt'), 'utf8'), 'a plain file\n', 'destroy left the plain file alone');
  });

  it('a package on a host without apt fails saying so', async () => {
    // A PATH with everything this machine has but apt and apt-get.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'clockwork-noapt-'));
    cleanups.push(() => fs.rmSync(bin, { recursive: true, force: true }));
    for (const folder of ['/usr/local/bin', '/usr/sbin', '/usr/bin']) {
      for (const name of fs.readdirSync(folder)) {
        if (name === 'apt' || name === 'apt-get' || fs.existsSync(path.join(bin, name))) continue;
        fs.symlinkSync(path.join(folder, name), path.join(bin, name));
      }
    }
    const dir = makeProject({ 'clockwork.ts': `${IMPORTS}\nexport default [new PackageResource({ name: 'tools', packages: ['${TEST_PACKAGE}'] })];\n` });
    const run = await runCli(['apply'], { cwd: dir, env: { PATH: bin, PYINFRA_PATH: findPyinfra() } });
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /✗ PackageResource tools → packages sl: failed\n {6}apt-get is not installed on this host: PackageResource installs Debian packages with apt \(Debian, Ubuntu and their derivatives\)/,
    );
  });
});
