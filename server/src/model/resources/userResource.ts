import { z } from 'zod';
import { defineResource, type ResourceIdentity } from '../define.js';
import { accountId, accountName, description, plainAbsolutePath, text } from '../fields.js';
import { existedBefore, literal, shellScript, shellWord, shellWords, type ResourceOperation } from '../operations.js';
import { keptBecause, REMOVE_EMPTY_DIRECTORY } from '../removal.js';

const schema = z
  .strictObject({
    name: text('a name').describe('A name for the user, unique among the resources of this file; also the user name when user is not given.'),
    description: description('user'),
    user: accountName('user').optional().describe('The user name on the host. Default: the name.'),
    uid: accountId('user').optional().describe('The numeric user id. Default: the next free one.'),
    group: accountName('group').optional().describe('The primary group (it must exist). Default: a group named like the user.'),
    groups: z
      .array(accountName('group'), { error: (issue) => `expected an array of group names, got ${Array.isArray(issue.input) ? 'an array' : typeof issue.input}` })
      .optional()
      .describe('Supplementary groups the user belongs to (they must exist).'),
    home: plainAbsolutePath('a home directory')
      .optional()
      .describe('The home directory, created and owned by the user. Default: /home/<user>, not created.'),
    shell: plainAbsolutePath('a login shell').optional().describe('The login shell, e.g. "/usr/sbin/nologin" for a service account.'),
    system: z.boolean().default(false).describe('Whether to make a system account (useradd -r: a low uid, for services).'),
  })
  .superRefine((spec, context) => {
    if (spec.user === undefined && !accountName('user').safeParse(spec.name).success) {
      context.addIssue({ code: 'custom', path: ['user'], message: `give user: the name ${JSON.stringify(spec.name)} is not a user name (letters, digits, "_", "." or "-")` });
    }
  });

type Spec = z.output<typeof schema>;

const userName = (spec: Spec): string => spec.user ?? spec.name;

/** A user account on the target host. */
export const UserResource = defineResource({
  kind: 'UserResource',
  summary:
    'A user account on the target host (useradd), with its groups, home directory and shell. Destroy removes it (and its home directory, when apply made it and it is empty) only when apply made it: a user that existed before apply is kept.',
  example: `new UserResource({
  name: "web",
  home: "/srv/web",
  shell: "/usr/sbin/nologin",
  system: true,
})`,
  schema,
  // The home directory is part of what apply makes, so destroy can remove it too.
  identity: (spec): ResourceIdentity => ({ type: 'user', id: userName(spec), ...(spec.home ? { paths: [spec.home] } : {}) }),
  openFields: () => [],
  defaultAssertions: (spec) => [
    {
      kind: 'UserExistsAssert',
      spec: {
        user: userName(spec),
        ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
        ...(spec.groups?.length ? { groups: spec.groups } : {}),
        ...(spec.home ? { home: spec.home } : {}),
        ...(spec.shell ? { shell: spec.shell } : {}),
      },
    },
  ],
  prior: (spec) => ({
    existed: { fact: 'server.Users', args: {}, keys: [userName(spec)] },
    ...(spec.home ? { home: { fact: 'files.Directory', args: { path: literal(spec.home) } } } : {}),
  }),
  // server.user pastes names and paths into useradd's command line and compares them with
  // what the host reports, so they go as words the schema keeps shell-safe.
  deploy: (spec): ResourceOperation[] => [
    {
      step: 'user',
      call: 'server.user',
      args: {
        user: shellWord(userName(spec)),
        present: literal(true),
        system: literal(spec.system),
        ...(spec.uid !== undefined ? { uid: literal(spec.uid) } : {}),
        ...(spec.group ? { group: shellWord(spec.group) } : {}),
        ...(spec.groups ? { groups: shellWords(spec.groups) } : {}),
        ...(spec.home ? { home: shellWord(spec.home) } : {}),
        ...(spec.shell ? { shell: shellWord(spec.shell) } : {}),
        // Only a home directory the user asked for is created (and owned by the user).
        ensure_home: literal(spec.home !== undefined),
        create_home: literal(false),
      },
    },
  ],
  destroy: (identity, prior): ResourceOperation[] => {
    if (existedBefore(prior, 'existed')) return [];
    const home = identity.paths?.[0];
    return [
      { step: 'remove', call: 'server.user', args: { user: shellWord(identity.id), present: literal(false) } },
      ...(home && !existedBefore(prior, 'home')
        ? [{ step: 'remove home', call: 'server.shell' as const, args: { commands: shellScript({ values: { path: home }, script: REMOVE_EMPTY_DIRECTORY }) } }]
        : []),
    ];
  },
  kept: (identity, prior) => {
    if (existedBefore(prior, 'existed')) return keptBecause(`user ${identity.id}`, prior?.['existed']);
    const home = identity.paths?.[0];
    return home && existedBefore(prior, 'home') ? keptBecause(home, prior?.['home']) : undefined;
  },
});

/** A UserResource object. */
export type UserResource = InstanceType<typeof UserResource>;
