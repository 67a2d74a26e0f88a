// A small static web site on a server: the account that owns it, its folder, its content
// from Git, the web server's configuration rendered from a template, and a tool it needs.
// Each resource depends on what it needs first: apply deploys in that order (and skips what
// comes after a failure), destroy removes in reverse.
// Run: npx clockwork plan --dir examples/web-server   (apply and destroy need root: they add a user)
// Serve it with BusyBox: busybox httpd -f -p 8080 -c /srv/hello-site/httpd.conf
import {
  CommandAssert,
  DirectoryResource,
  FileContentMatchesAssert,
  FileExistsAssert,
  FileOwnerAssert,
  FilePermissionsAssert,
  GitRepoResource,
  GroupExistsAssert,
  GroupResource,
  PackageInstalledAssert,
  PackageResource,
  TemplateFileResource,
  UserExistsAssert,
  UserResource,
} from 'clockwork';

/** Where the site lives on the server. */
const SITE_ROOT = '/srv/hello-site';
/** The account that owns the site. */
const SITE_USER = 'hello-web';
/** Where the site's pages come from. */
const SITE_REPOSITORY = 'https://github.com/octocat/Spoon-Knife.git';

const siteGroup = new GroupResource({
  name: 'site-group',
  group: SITE_USER,
  system: true,
  assertions: [new GroupExistsAssert({ group: SITE_USER })],
});

const siteUser = new UserResource({
  name: 'site-user',
  user: SITE_USER,
  group: SITE_USER,
  shell: '/usr/sbin/nologin',
  system: true,
  dependsOn: [siteGroup],
  assertions: [new UserExistsAssert({ user: SITE_USER, shell: '/usr/sbin/nologin' })],
});

const siteRoot = new DirectoryResource({
  name: 'site-root',
  path: SITE_ROOT,
  mode: '750',
  user: SITE_USER,
  group: SITE_USER,
  dependsOn: [siteUser],
  assertions: [
    new FileOwnerAssert({ path: SITE_ROOT, type: 'directory', owner: SITE_USER, group: SITE_USER }),
    new FilePermissionsAssert({ path: SITE_ROOT, mode: '750' }),
  ],
});

const pages = new GitRepoResource({
  name: 'site-pages',
  description: "The site's pages",
  repoUrl: SITE_REPOSITORY,
  dest: `${SITE_ROOT}/www`,
  branch: 'main',
  dependsOn: [siteRoot],
  assertions: [
    new FileExistsAssert({ path: `${SITE_ROOT}/www/index.html` }),
    new CommandAssert({ command: `git -C ${SITE_ROOT}/www rev-parse --abbrev-ref HEAD`, stdoutPattern: '^main$' }),
  ],
});

const serverConfig = new TemplateFileResource({
  name: 'httpd.conf',
  description: 'BusyBox httpd configuration for the site',
  directory: SITE_ROOT,
  template: [
    '# BusyBox httpd configuration of {{ site }}, rendered by Clockwork.',
    'H:{{ root }}',
    '{% for address in allow %}A:{{ address }}',
    '{% endfor %}D:*',
    '.html:text/html; charset=utf-8',
    '.css:text/css',
    '',
  ].join('\n'),
  variables: { site: 'hello-site', root: `${SITE_ROOT}/www`, allow: ['127.0.0.1', '::1'] },
  mode: '640',
  group: SITE_USER,
  dependsOn: [siteRoot],
  assertions: [
    new FileContentMatchesAssert({ path: `${SITE_ROOT}/httpd.conf`, pattern: `^H:${SITE_ROOT}/www$` }),
    new FileOwnerAssert({ path: `${SITE_ROOT}/httpd.conf`, type: 'file', group: SITE_USER }),
  ],
});

const tools = new PackageResource({
  name: 'site-tools',
  description: 'tree, to look at what is deployed',
  packages: ['tree'],
  assertions: [
    new PackageInstalledAssert({ package: 'tree' }),
    new CommandAssert({ command: `tree ${SITE_ROOT}/www`, stdoutPattern: 'index\\.html' }),
  ],
});

export default [siteGroup, siteUser, siteRoot, pages, serverConfig, tools];
