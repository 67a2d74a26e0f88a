import { z } from 'zod';
import { sh } from '../check.js';
import { defineResource } from '../define.js';
import { describeValue } from '../errors.js';
import { description, text } from '../fields.js';
import { literal, shellScript, type Prior, type ResourceOperation } from '../operations.js';

/** A Debian package name, optionally pinned to a version (`name=version`). */
const PACKAGE = /^([a-z0-9][a-z0-9+.-]+)(?:=([A-Za-z0-9.+~:-]+))?$/;

const schema = z.strictObject({
  name: text('a name').describe('A name for this set of packages, unique among the resources of this file.'),
  description: description('set of packages'),
  packages: z
    .array(
      z.string().regex(PACKAGE, {
        error: (issue) => `expected a Debian package name such as "nginx" or "nginx=1.22.1-9", got ${describeValue(issue.input)}`,
      }),
      { error: (issue) => `expected an array of package names, got ${describeValue(issue.input)}` },
    )
    .min(1, { error: 'expected at least one package' })
    .describe('The Debian packages to install with apt, e.g. ["nginx", "curl"]; pin a version with "name=version".'),
  latest: z.boolean().default(false).describe('Whether to upgrade the packages to the newest version on every apply.'),
});

type Spec = z.output<typeof schema>;

/** A package's name without its version pin. */
const packageName = (entry: string): string => PACKAGE.exec(entry)?.[1] ?? entry;

/**
 * apt-get waits for another apt or dpkg to let go of its lock instead of failing at once
 * (unattended-upgrades, another deploy), up to five minutes.
 */
const WAIT_FOR_LOCK = '-o DPkg::Lock::Timeout=300';

/** A clear failure on a host without apt, instead of "apt-get: not found" halfway through. */
const NEEDS_APT: ResourceOperation = {
  step: 'check apt',
  call: 'server.shell',
  args: {
    commands: shellScript({
      values: {},
      script: sh`echo 'apt-get is not installed on this host: PackageResource installs Debian packages with apt (Debian, Ubuntu and their derivatives)' >&2
exit 1`,
    }),
  },
  onlyIf: { values: {}, script: '! command -v apt-get >/dev/null 2>&1' },
};

/** The packages apply installed: those not installed before it (none when that is unknown). */
function installedByApply(identity: { id: string }, prior: Prior | undefined): { remove: string[]; keep: string[] } {
  const names = identity.id.split(' ').filter(Boolean);
  const before = prior?.['installed'];
  if (!Array.isArray(before)) return { remove: [], keep: names };
  return { remove: names.filter((name) => !before.includes(name)), keep: names.filter((name) => before.includes(name)) };
}

/** Debian packages installed with apt. */
export const PackageResource = defineResource({
  kind: 'PackageResource',
  summary:
    "Debian packages, installed with apt (PyInfra's apt.packages): on a host without apt it fails and says so. Destroy removes (purges) only the packages apply installed: one installed before apply is kept. Dependencies apt pulled in stay (apt-get autoremove removes them).",
  example: `new PackageResource({
  name: "web-packages",
  packages: ["nginx", "curl"],
})`,
  schema,
  identity: (spec: Spec) => ({ type: 'packages', id: spec.packages.map(packageName).join(' ') }),
  openFields: () => [],
  defaultAssertions: (spec) =>
    spec.packages.map((entry) => {
      const version = PACKAGE.exec(entry)?.[2];
      return { kind: 'PackageInstalledAssert', spec: { package: packageName(entry), ...(version ? { version: `^${version.replace(/[.+]/g, '\\$&')}$` } : {}) } };
    }),
  prior: (spec) => ({ installed: { fact: 'deb.DebPackages', args: {}, keys: spec.packages.map(packageName) } }),
  // apt.packages quotes each package itself (shlex), so they go as plain literals.
  deploy: (spec) => [
    NEEDS_APT,
    {
      step: 'install',
      call: 'apt.packages',
      args: { packages: literal(spec.packages), present: literal(true), latest: literal(spec.latest), extra_install_args: literal(WAIT_FOR_LOCK) },
    },
  ],
  destroy: (identity, prior) => {
    const { remove } = installedByApply(identity, prior);
    if (remove.length === 0) return [];
    return [
      NEEDS_APT,
      {
        step: 'remove',
        call: 'apt.packages',
        args: { packages: literal(remove), present: literal(false), extra_uninstall_args: literal(`--purge ${WAIT_FOR_LOCK}`) },
      },
    ];
  },
  kept: (identity, prior) => {
    const { keep } = installedByApply(identity, prior);
    if (keep.length === 0) return undefined;
    const known = Array.isArray(prior?.['installed']);
    return `kept ${keep.join(', ')}: ${known ? `${keep.length === 1 ? 'it was' : 'they were'} installed before apply` : 'Clockwork could not tell whether apply installed them'}`;
  },
});

/** A PackageResource object. */
export type PackageResource = InstanceType<typeof PackageResource>;
