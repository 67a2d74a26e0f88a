import * as path from 'node:path';
import { z } from 'zod';
import { defineResource } from '../define.js';
import { accountName, description, hostPath, octalMode, text } from '../fields.js';
import { existedBefore, literal, shellScript, type ResourceOperation } from '../operations.js';
import { keptBecause, REMOVE_EMPTY_DIRECTORY } from '../removal.js';

const schema = z.strictObject({
  name: text('a name').describe('A name for the directory, unique among the resources of this file; also its path when path is not given.'),
  description: description('directory'),
  path: hostPath('a path')
    .optional()
    .describe('The directory to create; relative paths resolve against the folder of clockwork.ts. Default: the name.'),
  mode: octalMode().optional().describe('Permission bits as an octal string, e.g. "755". Default: as the host creates it.'),
  user: accountName('user').optional().describe('The owner of the directory (a user name on the host).'),
  group: accountName('group').optional().describe('The group of the directory (a group name on the host).'),
});

type Spec = z.output<typeof schema>;

/** Where a directory resource's directory is: absolute, resolved against the project folder. */
function directoryPath(spec: Spec, projectDir: string): string {
  return path.resolve(projectDir, spec.path ?? spec.name);
}

/** A directory on the target host, with its mode and owner. */
export const DirectoryResource = defineResource({
  kind: 'DirectoryResource',
  summary:
    'A directory on the target host, with its mode, owner and group. Destroy removes it only when apply made it and it is empty again: a directory that holds files Clockwork did not make is kept, and the result says so.',
  example: `new DirectoryResource({
  name: "site",
  path: "/srv/site",
  mode: "755",
})`,
  schema,
  identity: (spec, context) => ({ type: 'directory', id: directoryPath(spec, context.projectDir) }),
  openFields: () => [],
  defaultAssertions: (spec, context) => [
    {
      kind: 'FileOwnerAssert',
      spec: { path: directoryPath(spec, context.projectDir), type: 'directory', ...(spec.user ? { owner: spec.user } : {}), ...(spec.group ? { group: spec.group } : {}) },
    },
    ...(spec.mode ? [{ kind: 'FilePermissionsAssert', spec: { path: directoryPath(spec, context.projectDir), mode: spec.mode } }] : []),
  ],
  prior: (spec, context) => ({ existed: { fact: 'files.Directory', args: { path: literal(directoryPath(spec, context.projectDir)) } } }),
  deploy: (spec, context): ResourceOperation[] => [
    {
      step: 'directory',
      call: 'files.directory',
      args: {
        path: literal(directoryPath(spec, context.projectDir)),
        present: literal(true),
        ...(spec.mode ? { mode: literal(spec.mode) } : {}),
        ...(spec.user ? { user: literal(spec.user) } : {}),
        ...(spec.group ? { group: literal(spec.group) } : {}),
      },
    },
  ],
  destroy: (identity, prior) =>
    existedBefore(prior, 'existed')
      ? []
      : [{ step: 'remove', call: 'server.shell', args: { commands: shellScript({ values: { path: identity.id }, script: REMOVE_EMPTY_DIRECTORY }) } }],
  kept: (identity, prior) => (existedBefore(prior, 'existed') ? keptBecause(identity.id, prior?.['existed']) : undefined),
});

/** A DirectoryResource object. */
export type DirectoryResource = InstanceType<typeof DirectoryResource>;
