import * as path from 'node:path';
import { z } from 'zod';
import { defineResource } from '../define.js';
import { describeValue } from '../errors.js';
import { allowingNul, description, fileName, hostPath, octalMode } from '../fields.js';
import { literal, stringIO, type ResourceOperation } from '../operations.js';
import type { ResourceGeneration } from '../generation.js';

const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

const schema = z
  .strictObject({
    name: fileName().describe('The file name, e.g. "notes.md". Unique among the resources of this file.'),
    description: description('file').describe(
      'What the file should contain. When content is not given, the AI writes the file from this description.',
    ),
    size: z
      .enum(['small', 'medium', 'large'])
      .default('small')
      .describe('How much the AI should write: small ≈ 100–500 words, medium ≈ 500–2,000, large 2,000+.'),
    directory: hostPath('a directory')
      .optional()
      .describe('The folder the file goes in; relative folders resolve against the folder of clockwork.ts.'),
    path: hostPath('a path')
      .optional()
      .describe('The full path of the file, instead of directory + name; relative paths resolve against the folder of clockwork.ts.'),
    content: allowingNul(z.string({ error: (issue) => `expected the file's content as a string, got ${describeValue(issue.input)}` }))
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

/** The folder and, when it lies below the project's folder, each folder between them (outermost first). */
function folderLevels(folder: string, projectDir: string): string[] {
  const relative = path.relative(projectDir, folder);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return [folder];
  const parts = relative.split(path.sep);
  return parts.map((_, index) => path.join(projectDir, ...parts.slice(0, index + 1)));
}

/** What each file extension asks the AI for. `mustParseAs` formats are parsed before use. */
const FILE_FORMATS: Readonly<Record<string, { label: string; rules: string; mustParseAs?: 'json' | 'yaml' }>> = {
  md: { label: 'Markdown', rules: 'Use Markdown headings, lists and emphasis where they help.' },
  markdown: { label: 'Markdown', rules: 'Use Markdown headings, lists and emphasis where they help.' },
  txt: { label: 'plain text', rules: 'Plain text without Markdown markup.' },
  json: { label: 'JSON', rules: 'Valid JSON only: no comments, no trailing commas.', mustParseAs: 'json' },
  yaml: { label: 'YAML', rules: 'Valid YAML only.', mustParseAs: 'yaml' },
  yml: { label: 'YAML', rules: 'Valid YAML only.', mustParseAs: 'yaml' },
  toml: { label: 'TOML', rules: 'Valid TOML only.' },
  sh: { label: 'a POSIX shell script', rules: 'Start with a #!/bin/sh line; comment what each part does.' },
  bash: { label: 'a Bash script', rules: 'Start with a #!/usr/bin/env bash line; comment what each part does.' },
  py: { label: 'a Python 3 program', rules: 'Runnable Python 3 with docstrings and comments.' },
  html: { label: 'an HTML document', rules: 'A complete HTML5 document.' },
  htm: { label: 'an HTML document', rules: 'A complete HTML5 document.' },
  css: { label: 'CSS', rules: 'Valid CSS only.' },
  js: { label: 'JavaScript', rules: 'Runnable modern JavaScript.' },
  ts: { label: 'TypeScript', rules: 'Valid TypeScript.' },
  xml: { label: 'XML', rules: 'Well-formed XML with an XML declaration.' },
  csv: { label: 'CSV', rules: 'Comma-separated values with a header row.' },
  ini: { label: 'an INI file', rules: 'Sections in [brackets] and key = value lines.' },
  conf: { label: 'a configuration file', rules: 'In the syntax usual for this file name, with comments.' },
  sql: { label: 'SQL', rules: 'Valid SQL statements.' },
};

/** The words each size asks for, and the token budget that allows them (reasoning models included). */
const SIZE_GUIDE = {
  small: { words: 'about 100 to 500 words', maxTokens: 2_000 },
  medium: { words: 'about 500 to 2,000 words', maxTokens: 6_000 },
  large: { words: 'more than 2,000 words', maxTokens: 16_000 },
} as const;

/** The AI writes a file's content from its description, name, size and the format its extension implies. */
const fileGeneration: ResourceGeneration<z.output<typeof schema>> = {
  promptVersion: 1,
  request(spec) {
    const extension = path.extname(spec.name).slice(1).toLowerCase();
    const format = FILE_FORMATS[extension] ?? { label: 'plain text', rules: 'In the format usual for this file name.' };
    const size = SIZE_GUIDE[spec.size];
    return {
      output: 'text',
      field: 'content',
      system:
        "You write the content of files for Clockwork, an infrastructure tool. Answer with the file's content only: no preamble, no explanation, no surrounding code fence.",
      prompt: [
        `Write the file ${JSON.stringify(spec.name)}.`,
        `Format: ${format.label}. ${format.rules}`,
        `Length: ${spec.size}, ${size.words}.`,
        `What it should contain: ${spec.description?.trim() || `what a file named ${JSON.stringify(spec.name)} usually holds`}`,
      ].join('\n'),
      maxTokens: size.maxTokens,
      formatLabel: format.label,
      ...(format.mustParseAs ? { mustParseAs: format.mustParseAs } : {}),
    };
  },
  merge: (spec, answer) => (spec.content !== undefined ? spec : { ...spec, content: String(answer['content']) }),
};

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
  // The seed's default checks: the file exists, with its mode.
  defaultAssertions: (spec, context) => [
    { kind: 'FileExistsAssert', spec: { path: filePath(spec, context.projectDir) } },
    { kind: 'FilePermissionsAssert', spec: { path: filePath(spec, context.projectDir), mode: spec.mode } },
  ],
  deploy: (spec, context) => {
    if (spec.content === undefined) throw new Error(`FileResource ${spec.name}: content must be filled in before deploying`);
    const target = filePath(spec, context.projectDir);
    const owner = { ...(spec.user ? { user: literal(spec.user) } : {}), ...(spec.group ? { group: literal(spec.group) } : {}) };
    // One operation per folder level below the project's folder, so each one apply creates is
    // recorded (and removed by destroy once empty).
    const levels = spec.path !== undefined || spec.directory !== undefined ? folderLevels(path.dirname(target), context.projectDir) : [];
    const folder: ResourceOperation[] = levels.map((dir, level) => ({
      step: level === levels.length - 1 ? 'folder' : `folder ${path.relative(context.projectDir, dir)}`,
      call: 'files.directory',
      args: { path: literal(dir), present: literal(true) },
    }));
    return [
      ...folder,
      { step: 'write', call: 'files.put', args: { src: stringIO(spec.content), dest: literal(target), mode: literal(spec.mode), ...owner } },
    ];
  },
  // Only the file is removed: its folder may hold other files.
  destroy: (identity) => [{ step: 'remove', call: 'files.file', args: { path: literal(identity.id), present: literal(false) } }],
  generation: fileGeneration,
});

/** A FileResource object. */
export type FileResource = InstanceType<typeof FileResource>;
