import * as path from 'node:path';
import { z } from 'zod';
import { defineResource } from '../define.js';
import { description, hostPath, text } from '../fields.js';
import { literal } from '../operations.js';

const schema = z.strictObject({
  name: text('a name').describe('A name for the link, unique among the resources of this file.'),
  description: description('link'),
  path: hostPath('a path').describe('Where the link is; relative paths resolve against the folder of clockwork.ts.'),
  target: hostPath('a target').describe('What the link points to, written into the link as it is (a relative target is relative to the folder of the link).'),
});

type Spec = z.output<typeof schema>;

const linkPath = (spec: Spec, projectDir: string): string => path.resolve(projectDir, spec.path);

/** A symbolic link on the target host. */
export const SymlinkResource = defineResource({
  kind: 'SymlinkResource',
  summary:
    'A symbolic link on the target host, pointing at a target (created or corrected by apply). A path that exists and is not a link is left alone, and apply fails saying so. Destroy removes the link, never its target.',
  example: `new SymlinkResource({
  name: "current",
  path: "/srv/app/current",
  target: "/srv/app/releases/1.0",
})`,
  schema,
  identity: (spec, context) => ({ type: 'link', id: linkPath(spec, context.projectDir) }),
  openFields: () => [],
  defaultAssertions: (spec, context) => [{ kind: 'FileOwnerAssert', spec: { path: linkPath(spec, context.projectDir), type: 'symlink', target: spec.target } }],
  deploy: (spec, context) => [
    { step: 'link', call: 'files.link', args: { path: literal(linkPath(spec, context.projectDir)), target: literal(spec.target), symbolic: literal(true), present: literal(true) } },
  ],
  // files.link removes only a link (rm -f of the link itself), never what it points to.
  destroy: (identity) => [{ step: 'remove', call: 'files.link', args: { path: literal(identity.id), present: literal(false) } }],
});

/** A SymlinkResource object. */
export type SymlinkResource = InstanceType<typeof SymlinkResource>;
