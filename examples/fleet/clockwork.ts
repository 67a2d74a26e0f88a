// Two web servers and a database server, reached over SSH: each resource goes to its targets,
// and its assertions run there. The addresses are documentation addresses (RFC 5737): put your
// own, and the key and known_hosts your servers use.
// Run: npx clockwork plan --dir examples/fleet
import { FileContentMatchesAssert, FileExistsAssert, FilePermissionsAssert, FileResource, SshHost } from 'clockwork';

const login = { user: 'deploy', keyFile: '~/.ssh/id_ed25519' };

const web1 = new SshHost({ name: 'web1', address: '203.0.113.10', ...login });
const web2 = new SshHost({ name: 'web2', address: '203.0.113.11', port: 2222, ...login });
const db1 = new SshHost({ name: 'db1', address: '203.0.113.20', ...login, data: { role: 'database' } });
const web = [web1, web2];

export default [
  new FileResource({
    name: 'motd',
    path: '/etc/motd',
    content: 'Managed by Clockwork: changes made here are overwritten.\n',
    targets: [...web, db1],
    assertions: [new FileExistsAssert({ path: '/etc/motd' })],
  }),
  new FileResource({
    name: 'site.conf',
    path: '/srv/www/site.conf',
    content: 'listen 80\nroot /srv/www/html\n',
    mode: '640',
    targets: web,
    assertions: [
      new FileContentMatchesAssert({ path: '/srv/www/site.conf', pattern: '^listen 80$' }),
      new FilePermissionsAssert({ path: '/srv/www/site.conf', mode: '640' }),
    ],
  }),
  new FileResource({
    name: 'backup.conf',
    path: '/srv/db/backup.conf',
    content: 'schedule daily\nkeep 7\n',
    targets: [db1],
  }),
];
