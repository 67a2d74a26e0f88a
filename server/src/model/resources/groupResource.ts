import { z } from 'zod';
import { defineResource } from '../define.js';
import { accountId, accountName, description, text } from '../fields.js';
import { existedBefore, literal, shellWord } from '../operations.js';
import { keptBecause } from '../removal.js';

const schema = z
  .strictObject({
    name: text('a name').describe('A name for the group, unique among the resources of this file; also the group name when group is not given.'),
    description: description('group'),
    group: accountName('group').optional().describe('The group name on the host. Default: the name.'),
    gid: accountId('group').optional().describe('The numeric group id. Default: the next free one.'),
    system: z.boolean().default(false).describe('Whether to make a system group (groupadd -r: a low gid, for services).'),
  })
  .superRefine((spec, context) => {
    if (spec.group === undefined && !accountName('group').safeParse(spec.name).success) {
      context.addIssue({ code: 'custom', path: ['group'], message: `give group: the name ${JSON.stringify(spec.name)} is not a group name (letters, digits, "_", "." or "-")` });
    }
  });

type Spec = z.output<typeof schema>;

const groupName = (spec: Spec): string => spec.group ?? spec.name;

/** A group account on the target host. */
export const GroupResource = defineResource({
  kind: 'GroupResource',
  summary:
    'A group account on the target host (groupadd). Destroy removes it only when apply made it: a group that existed before apply is kept.',
  example: `new GroupResource({
  name: "web",
  system: true,
})`,
  schema,
  identity: (spec) => ({ type: 'group', id: groupName(spec) }),
  openFields: () => [],
  defaultAssertions: (spec) => [{ kind: 'GroupExistsAssert', spec: { group: groupName(spec), ...(spec.gid !== undefined ? { gid: spec.gid } : {}) } }],
  prior: (spec) => ({ existed: { fact: 'server.Groups', args: {}, keys: [groupName(spec)] } }),
  // server.group pastes the name into groupadd's command line and compares it with the host's
  // groups, so it goes as a word the schema keeps shell-safe.
  deploy: (spec) => [
    {
      step: 'group',
      call: 'server.group',
      args: { group: shellWord(groupName(spec)), present: literal(true), system: literal(spec.system), ...(spec.gid !== undefined ? { gid: literal(spec.gid) } : {}) },
    },
  ],
  destroy: (identity, prior) =>
    existedBefore(prior, 'existed') ? [] : [{ step: 'remove', call: 'server.group', args: { group: shellWord(identity.id), present: literal(false) } }],
  kept: (identity, prior) => (existedBefore(prior, 'existed') ? keptBecause(`group ${identity.id}`, prior?.['existed']) : undefined),
});

/** A GroupResource object. */
export type GroupResource = InstanceType<typeof GroupResource>;
