/** clockwork.ts files for tests on a fleet of real SSH hosts (see sshHosts.ts). */
import type { SshFleet } from './sshHosts.js';

/** clockwork.ts declaring the fleet's hosts as web1, web2, web3, then `resources`. */
export function fleetProject(fleet: SshFleet, resources: string, hostOverrides: Record<string, string> = {}): string {
  const hosts = fleet.hosts.map((host, index) => {
    const name = `web${index + 1}`;
    const fields = `name: '${name}', address: '${host.address}', user: '${host.user}', keyFile: '${host.keyFile}', knownHostsFile: '${host.knownHostsFile}'`;
    return `const ${name} = new SshHost({ ${fields}${hostOverrides[name] ?? ''} });`;
  });
  return [
    "import { SshHost, FileResource, FileExistsAssert, FileContentMatchesAssert } from 'clockwork';",
    ...hosts,
    'export default [',
    resources,
    '];',
    '',
  ].join('\n');
}
