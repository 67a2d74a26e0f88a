import * as path from 'node:path';
import { z } from 'zod';
import { sh } from '../check.js';
import { defineResource } from '../define.js';
import { ClockworkError, describeValue } from '../errors.js';
import { description, hostPath, SHELL_SAFE, text } from '../fields.js';
import type { ResourceGeneration } from '../generation.js';
import { existedBefore, literal, shellScript, shellWord, type ResourceOperation } from '../operations.js';
import { keptBecause } from '../removal.js';

/** URLs git clones from: http(s), ssh, git and file URLs, or scp-like `user@host:path`. */
const REPO_URL = /^(?:(?:https?|ssh|git|file):\/\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/;

/** A branch name PyInfra can paste into git's command line and compare with the checkout's. */
const BRANCH = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./+-]*$/;

const repoUrl = (): z.ZodString =>
  z.string().regex(REPO_URL, {
    error: (issue) => `expected a Git URL (https://, ssh://, git://, file:// or user@host:path), got ${describeValue(issue.input)}`,
  });

const schema = z.strictObject({
  name: text('a name').describe('A name for the checkout, unique among the resources of this file.'),
  description: description('repository').describe(
    'What the repository is. When repoUrl is not given, the AI chooses the repository from this description.',
  ),
  repoUrl: repoUrl()
    .optional()
    .describe('The repository to clone, e.g. "https://github.com/pyinfra-dev/pyinfra.git". When omitted, the AI chooses it from the description.'),
  dest: hostPath('a path')
    .refine((value) => SHELL_SAFE.test(value), {
      error: (issue) =>
        `expected a path of letters, digits and _@%+=:,./- only (PyInfra's git.repo pastes it into a shell command), got ${describeValue(issue.input)}`,
    })
    .describe('The folder to clone into; relative paths resolve against the folder of clockwork.ts.'),
  branch: z
    .string()
    .regex(BRANCH, { error: (issue) => `expected a branch name (letters, digits, "_", ".", "/", "+", "-"), got ${describeValue(issue.input)}` })
    .optional()
    .describe('The branch to check out. Default: the repository’s default branch.'),
  pull: z.boolean().default(true).describe('Whether apply pulls new commits of the branch when the checkout exists.'),
});

type Spec = z.output<typeof schema>;

/** The checkout folder, absolute; it must stay shell-safe once resolved (git.repo pastes it). */
function checkoutPath(spec: Spec, projectDir: string): string {
  const dest = path.resolve(projectDir, spec.dest);
  if (!SHELL_SAFE.test(dest)) {
    throw new ClockworkError(
      `GitRepoResource ${JSON.stringify(spec.name)}: dest resolves to ${JSON.stringify(dest)}, which PyInfra's git.repo cannot take (it pastes the path into a shell command); give an absolute dest of letters, digits and _@%+=:,./- only`,
    );
  }
  return dest;
}

/** Whether a pull would bring anything: fetches, then compares. A failed fetch lets `git pull` say why. */
const BEHIND_UPSTREAM = sh`
cd "$v_dest" 2>/dev/null || exit 0
git fetch --quiet 2>/dev/null || exit 0
git rev-parse --verify --quiet '@{u}' >/dev/null || exit 0
! git merge-base --is-ancestor '@{u}' HEAD`;

/** Removes a checkout apply cloned, unless it holds work that is not on the remote. */
const REMOVE_CHECKOUT = sh`
if ! [ -e "$v_dest" ]; then exit 0; fi
if ! [ -d "$v_dest/.git" ]; then
  # A clone that failed leaves the empty folder git.repo made first.
  rmdir -- "$v_dest" 2>/dev/null && exit 0
  cw_kept "kept $v_dest: it is not a Git checkout Clockwork made"; exit 0
fi
if ! command -v git >/dev/null 2>&1; then echo 'git is not installed on this host' >&2; exit 1; fi
cw_changes=$(git -C "$v_dest" status --porcelain 2>&1) || { echo "git status failed in $v_dest: $cw_changes" >&2; exit 1; }
if [ -n "$cw_changes" ]; then cw_kept "kept $v_dest: it has changes that are not committed"; exit 0; fi
if git -C "$v_dest" rev-parse --verify --quiet '@{u}' >/dev/null && [ -n "$(git -C "$v_dest" rev-list '@{u}..HEAD' 2>/dev/null)" ]; then
  cw_kept "kept $v_dest: it has commits that are not pushed"; exit 0
fi
rm -rf -- "$v_dest"`;

/** The AI picks the repository from the description. */
const repoGeneration: ResourceGeneration<Spec> = {
  promptVersion: 1,
  request: (spec) => ({
    output: 'structured',
    schemaName: 'git_repository',
    schema: z.strictObject({ repoUrl: repoUrl().describe('The clone URL of the repository.') }),
    system:
      'You choose Git repositories for Clockwork, an infrastructure tool. Answer with the public HTTPS clone URL of the one repository the description names or clearly means (e.g. "https://github.com/owner/name.git"); never invent one. Answer with one JSON object only.',
    prompt: [
      `Choose the repository for the checkout ${JSON.stringify(spec.name)} (cloned into ${spec.dest}${spec.branch ? `, branch ${spec.branch}` : ''}).`,
      `What it is: ${spec.description?.trim() || 'not described; infer it from the name'}`,
    ].join('\n'),
    maxTokens: 1_000,
  }),
  merge: (spec, answer) => ({ ...spec, repoUrl: spec.repoUrl ?? String(answer['repoUrl']) }),
};

/** A Git checkout on the target host. */
export const GitRepoResource = defineResource({
  kind: 'GitRepoResource',
  summary:
    'A Git checkout on the target host (git clone, then pull on each apply when the branch has new commits). Give repoUrl, or describe the repository and let the AI choose it. Destroy removes a checkout apply cloned, unless it has changes that are not committed or pushed.',
  example: `new GitRepoResource({
  name: "site-source",
  repoUrl: "https://github.com/pyinfra-dev/pyinfra.git",
  dest: "/srv/site/src",
  branch: "3.x",
})`,
  schema,
  identity: (spec, context) => ({ type: 'repository', id: checkoutPath(spec, context.projectDir) }),
  openFields: (spec) => (spec.repoUrl === undefined ? ['repoUrl'] : []),
  defaultAssertions: (spec, context) => [{ kind: 'FileOwnerAssert', spec: { path: path.join(checkoutPath(spec, context.projectDir), '.git'), type: 'directory' } }],
  prior: (spec, context) => ({ existed: { fact: 'files.Directory', args: { path: literal(checkoutPath(spec, context.projectDir)) } } }),
  // git.repo pastes src, dest and branch into git's command lines: all are shell words (dest
  // and branch are kept shell-safe, as git.repo also compares them with the host's).
  deploy: (spec, context): ResourceOperation[] => {
    if (spec.repoUrl === undefined) throw new Error(`GitRepoResource ${spec.name}: repoUrl must be filled in before deploying`);
    const dest = checkoutPath(spec, context.projectDir);
    const args = { src: shellWord(spec.repoUrl), dest: shellWord(dest), ...(spec.branch ? { branch: shellWord(spec.branch) } : {}) };
    return [
      // Clones when missing and checks out the branch; pulls nothing (that is the next step).
      { step: 'clone', call: 'git.repo', args: { ...args, pull: literal(false) } },
      // git.repo would pull (and report a change) on every run: only when there is something new.
      ...(spec.pull
        ? [{ step: 'pull', call: 'git.repo' as const, args: { ...args, pull: literal(true) }, onlyIf: { values: { dest }, script: BEHIND_UPSTREAM } }]
        : []),
    ];
  },
  destroy: (identity, prior) =>
    existedBefore(prior, 'existed')
      ? []
      : [{ step: 'remove', call: 'server.shell', args: { commands: shellScript({ values: { dest: identity.id }, script: REMOVE_CHECKOUT }) } }],
  kept: (identity, prior) => (existedBefore(prior, 'existed') ? keptBecause(identity.id, prior?.['existed']) : undefined),
  generation: repoGeneration,
});

/** A GitRepoResource object. */
export type GitRepoResource = InstanceType<typeof GitRepoResource>;
