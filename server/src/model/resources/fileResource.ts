import * as path from 'node:path';
import { z } from 'zod';
import { defineResource } from '../define.js';
import { describeValue } from '../errors.js';
import { description, octalMode, text } from '../fields.js';

const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

const schema = z
  .strictObject({
    name: text('a file name')
      .refine((value) => !value.includes('/') && value !== '.' && value !== '..' && !value.includes('\0'), {
        error: (issue) => `expected a file name without "/", got ${describeValue(issue.input)} (use directory or path for folders)`,
      })
      .describe('The file name, e.g. "notes.md". Unique among the resources of this file.'),
    description: description('file').describe(
      'What the file should contain. When content is not given, the AI writes the file from this description.',
    ),
    size: z
      .enum(['small', 'medium', 'large'])
      .default('small')
      .describe('How much the AI should write: small ≈ 100–500 words, medium ≈ 500–2,000, large 2,000+.'),
    directory: text('a directory')
      .optional()
      .describe('The folder the file goes in; relative folders resolve against the folder of clockwork.ts.'),
    path: text('a path')
      .optional()
      .describe('The full path of the file, instead of directory + name; relative paths resolve against the folder of clockwork.ts.'),
    content: z
      .string({ error: (issue) => `expected the file's content as a string, got ${describeValue(issue.input)}` })
      .optional()
      .describe('The exact content. When omitted, the AI writes it from the description.'),
    mode: octalMode().default('644').describe('Permission bits as an octal string, e.g. "644" or "0600".'),
    user: z
      .string()
      .regex(ACCOUNT_NAME, { error: (issue) => `expected a user name, got ${describeValue(issue.input)}` })
      .optional()
      .describe('The owner of the file (a user name on the host).'),
    group: z
      .string()
      .regex(ACCOUNT_NAME, { error: (issue) => `expected a group name, got ${describeValue(issue.input)}` })
      .optional()
      .describe('The group of the file (a group name on the host).'),
  })
  .superRefine((spec, context) => {
    if (spec.path !== undefined && spec.directory !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'give either path or directory, not both (path is the whole file path)',
      });
    }
  });

/** Where a file resource's file goes: absolute, resolved against the project folder. */
export function filePath(spec: { name: string; path?: string; directory?: string }, projectDir: string): string {
  if (spec.path !== undefined) return path.resolve(projectDir, spec.path);
  return path.resolve(projectDir, spec.directory ?? '.', spec.name);
}

/** A file on the target host, written from the given content or by the AI from a description. */
export const FileResource = defineResource({
  kind: 'FileResource',
  summary:
    'A file on the target host. Give its content, or describe it and let the AI write it. Relative paths resolve against the folder of clockwork.ts.',
  example: `new FileResource({
  name: "notes.md",
  description: "Release notes for version 1.0",
  directory: "docs",
  size: "small",
})`,
  schema,
  identity: (spec, context) => ({ type: 'file', id: filePath(spec, context.projectDir) }),
  openFields: (spec) => (spec.content === undefined ? ['content'] : []),
});

/** A FileResource object. */
export type FileResource = InstanceType<typeof FileResource>;
