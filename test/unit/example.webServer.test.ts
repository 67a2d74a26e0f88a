/**
 * The web-server example end to end on this machine, as root, through the CLI: apply, every
 * assertion passes, apply again changes nothing, destroy removes it all, the assertions then
 * fail. It runs the example's own file with three constants changed: the site's folder (a
 * temporary one), the account (a unique name) and the repository (a local bare one served
 * over file://, as the tests reach no network).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate } from '../../server/src/language/validate.js';
import { typeDeclarations } from '../../server/src/model/typeDeclarations.js';
import { parseText } from '../../server/src/language/parse.js';
import { runAssertions } from '../../server/src/pipeline/assert/run.js';
import { resolveSettings } from '../../server/src/pipeline/settings.js';
import { runCli } from '../support/cli.js';
import { accountExists, bareRepository, ensurePackageKnown, packageInstalled, removeAccounts, requireHostTests, uniqueAccount } from '../support/hostTargets.js';
import { typeErrors } from '../support/typeCheck.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';

const EXAMPLE = fs.readFileSync(path.join(repoRoot, 'examples/web-server/clockwork.ts'), 'utf8');

/** The example with its three constants set. */
function withConstants(root: string, user: string, repository: string): string {
  const replaced = EXAMPLE.replace(/^const SITE_ROOT = '.*';$/m, `const SITE_ROOT = '${root}';`)
    .replace(/^const SITE_USER = '.*';$/m, `const SITE_USER = '${user}';`)
    .replace(/^const SITE_REPOSITORY = '.*';$/m, `const SITE_REPOSITORY = '${repository}';`);
  assert.equal((replaced.match(new RegExp(`${root}'|${user}'|${repository}'`, 'g')) ?? []).length, 3, 'the example names its three constants');
  return replaced;
}

describe('examples/web-server', function () {
  this.timeout(300_000);
  const users: string[] = [];
  after(async () => {
    await removeAccounts(users, users);
    removeProjects();
  });

  it('is valid as the editor reads it, type-checks with the declarations Init Project writes, and plans six resources (no root needed)', async () => {
    assert.deepEqual(validate(parseText('file:///example/clockwork.ts', EXAMPLE)), []);
    const dir = makeProject({
      'types/clockwork.d.ts': typeDeclarations(),
      'clockwork.ts': EXAMPLE,
      'cycle.ts': `${EXAMPLE}\nsiteGroup.dependsOn.push(siteRoot);\nsiteUser.dependsOn.push('site-group');\n`,
    });
    const check = (file: string): string[] => typeErrors(dir, file);
    assert.deepEqual(check('clockwork.ts'), []);
    // dependsOn takes resources, not names: TypeScript says so.
    assert.match(check('cycle.ts').join('\n'), /Argument of type 'string' is not assignable to parameter of type 'ResourceInstance'/);
    const plan = await runCli(['plan', '--dir', 'examples/web-server']);
    assert.equal(plan.exitCode, 0, plan.stderr);
    assert.match(plan.stdout, /Apply would create 6, change 0, leave 0 unchanged and remove 0\.\nNothing needs the AI\.$/);
  });

  it('applies, passes every assertion, changes nothing the second time, and destroys it all', async function () {
    requireHostTests(this);
    await ensurePackageKnown('tree');
    const user = uniqueAccount('cwweb');
    users.push(user);
    const repo = await bareRepository();
    await repo.push('index.html', '<!doctype html><title>Hello</title><h1>Hello</h1>\n');
    const dir = makeProject({});
    const root = path.join(dir, 'srv/hello-site');
    fs.writeFileSync(path.join(dir, 'clockwork.ts'), withConstants(root, user, repo.url));
    const treeBefore = await packageInstalled('tree');
    try {
      const first = await runCli(['apply'], { cwd: dir });
      assert.equal(first.exitCode, 0, first.stdout + first.stderr);
      // In dependency order; the package is unchanged when this machine already had it.
      assert.deepEqual(
        [...first.stdout.matchAll(/^ {2}[✓=] (\w+) .*: (\w+)$/gm)].map((match) => `${match[1]} ${match[2]}`),
        [
          'GroupResource created',
          'UserResource created',
          'DirectoryResource created',
          'GitRepoResource created',
          'TemplateFileResource created',
          `PackageResource ${treeBefore ? 'unchanged' : 'created'}`,
        ],
      );
      assert.ok(accountExists('user', user) && accountExists('group', user));
      assert.match(fs.readFileSync(path.join(root, 'httpd.conf'), 'utf8'), new RegExp(`^H:${root}/www\nA:127\\.0\\.0\\.1\nA:::1\nD:\\*\n`, 'm'));

      const checked = await runCli(['assert', '--json'], { cwd: dir });
      assert.equal(checked.exitCode, 0, checked.stdout + checked.stderr);
      const report = JSON.parse(checked.stdout) as { counts: { total: number; passed: number } };
      assert.deepEqual(report.counts, { total: 10, passed: 10, failed: 0, error: 0 });

      const second = await runCli(['apply'], { cwd: dir });
      assert.equal(second.exitCode, 0, second.stdout + second.stderr);
      assert.match(second.stdout, /✓ Deployment successful \(6 unchanged\)$/);

      const gone = await runCli(['destroy'], { cwd: dir });
      assert.equal(gone.exitCode, 0, gone.stdout + gone.stderr);
      assert.match(gone.stdout, /✓ Destroyed 6 resource\(s\)/);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'srv')), []);
      assert.equal(accountExists('user', user) || accountExists('group', user), false);
      assert.equal(await packageInstalled('tree'), treeBefore, 'the package is as it was before apply');

      // Every check retries for its 5 s: run them side by side with sh rather than one by one.
      const after = await runAssertions({ settings: resolveSettings({ projectDir: dir, environment: {} }), runner: 'sh' });
      assert.equal(after.ok, false);
      assert.equal(after.counts.passed, treeBefore ? 1 : 0, 'only a package kept from before still passes');
    } finally {
      // A failed run leaves nothing behind either.
      if (fs.existsSync(path.join(dir, '.clockwork/state.json'))) await runCli(['destroy'], { cwd: dir });
      repo.remove();
    }
  });
});
