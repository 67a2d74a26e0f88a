import { z } from 'zod';
import { defineResource } from '../define.js';
import { describeValue } from '../errors.js';
import { accountName, allowingNul, description, fileName, hostPath, octalMode } from '../fields.js';
import type { ResourceGeneration } from '../generation.js';
import { templateProblem, undefinedTemplateNames } from '../jinja.js';
import { literal, stringIO, type OperationArgument, type PlainValue, type ResourceOperation } from '../operations.js';
import { filePath } from './fileResource.js';

/**
 * Names a variable cannot have: files.template's own parameters, PyInfra's operation name and
 * the objects it hands every template, Python and Jinja keywords.
 */
const RESERVED = new Set([
  'src', 'dest', 'user', 'group', 'mode', 'create_remote_dir', 'jinja_env_kwargs', 'name', 'host', 'state', 'inventory',
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'true', 'false', 'none', 'loop', 'self',
]);

const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const schema = z
  .strictObject({
    name: fileName().describe('The file name, e.g. "nginx.conf". Unique among the resources of this file.'),
    description: description('file').describe(
      'What the rendered file should contain. When template is not given, the AI writes the template from this description.',
    ),
    directory: hostPath('a directory')
      .optional()
      .describe('The folder the file goes in; relative folders resolve against the folder of clockwork.ts.'),
    path: hostPath('a path')
      .optional()
      .describe('The full path of the file, instead of directory + name; relative paths resolve against the folder of clockwork.ts.'),
    template: allowingNul(z.string({ error: (issue) => `expected the template as a string (Jinja2 text), got ${describeValue(issue.input)}` }))
      .optional()
      .describe('The Jinja2 template, e.g. "listen {{ port }};". When omitted, the AI writes it from the description.'),
    variables: z
      .record(
        z.string().refine((key) => VARIABLE_NAME.test(key) && !RESERVED.has(key)),
        z.json({ error: (issue) => `expected a JSON value (string, number, boolean, list or object), got ${describeValue(issue.input)}` }),
        {
          error: (issue) =>
            issue.code === 'invalid_key'
              ? `expected a variable name (a letter, then letters, digits or "_"; not a reserved word such as name, src, dest, host or if), got ${describeValue(issue.input)}`
              : `expected an object of template variables, got ${describeValue(issue.input)}`,
        },
      )
      .default({})
      .describe('The values the template uses, e.g. { port: 8080 } for "{{ port }}".'),
    mode: octalMode().default('644').describe('Permission bits as an octal string, e.g. "644" or "0600".'),
    user: accountName('user').optional().describe('The owner of the file (a user name on the host).'),
    group: accountName('group').optional().describe('The group of the file (a group name on the host).'),
  })
  .superRefine((spec, context) => {
    if (spec.path !== undefined && spec.directory !== undefined) {
      context.addIssue({ code: 'custom', path: ['path'], message: 'give either path or directory, not both (path is the whole file path)' });
    }
    const missing = spec.template === undefined ? [] : undefinedTemplateNames(spec.template, Object.keys(spec.variables));
    if (missing.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['template'],
        message: `the template uses ${missing.map((name) => `{{ ${name} }}`).join(', ')}, which variables does not give (PyInfra would fail to render it)`,
      });
    }
  });

type Spec = z.output<typeof schema>;

/** The AI writes the template from the description, using only the declared variables. */
const templateGeneration: ResourceGeneration<Spec> = {
  promptVersion: 1,
  request(spec) {
    const names = Object.keys(spec.variables);
    return {
      output: 'text',
      field: 'template',
      system:
        'You write Jinja2 templates of configuration files for Clockwork, an infrastructure tool. Answer with the template only: ' +
        'no preamble, no explanation, no surrounding code fence. Use only the variables you are given, plain {{ variable }} ' +
        'expressions, filters such as default, upper or join, and {% if %}, {% for %} or {% set %}; nothing else.',
      prompt: [
        `Write the template of the file ${JSON.stringify(spec.name)}, in the format usual for that file name.`,
        `Variables: ${names.length > 0 ? names.map((key) => `${key} (e.g. ${JSON.stringify(spec.variables[key])})`).join(', ') : 'none: write the file as it is'}.`,
        `What it should contain: ${spec.description?.trim() || `what a file named ${JSON.stringify(spec.name)} usually holds`}`,
      ].join('\n'),
      maxTokens: 4_000,
      formatLabel: 'Jinja2 (plain Jinja on the given variables only)',
      check: (answer) => templateProblem(answer, names),
    };
  },
  merge: (spec, answer) => (spec.template !== undefined ? spec : { ...spec, template: String(answer['template']) }),
};

/** A file on the target host rendered from a Jinja2 template. */
export const TemplateFileResource = defineResource({
  kind: 'TemplateFileResource',
  summary:
    "A file on the target host rendered from a Jinja2 template with variables (PyInfra's files.template). Give the template, or describe the file and let the AI write the template. Relative paths resolve against the folder of clockwork.ts.",
  example: `new TemplateFileResource({
  name: "site.conf",
  directory: "/srv/site",
  template: "listen {{ port }};\\nroot {{ root }};\\n",
  variables: { port: 8080, root: "/srv/site/www" },
})`,
  schema,
  identity: (spec, context) => ({ type: 'file', id: filePath(spec, context.projectDir) }),
  openFields: (spec) => (spec.template === undefined ? ['template'] : []),
  defaultAssertions: (spec, context) => [
    { kind: 'FileExistsAssert', spec: { path: filePath(spec, context.projectDir) } },
    { kind: 'FilePermissionsAssert', spec: { path: filePath(spec, context.projectDir), mode: spec.mode } },
  ],
  deploy: (spec, context): ResourceOperation[] => {
    if (spec.template === undefined) throw new Error(`TemplateFileResource ${spec.name}: template must be filled in before deploying`);
    const target = filePath(spec, context.projectDir);
    const variables: Record<string, OperationArgument> = Object.fromEntries(
      Object.entries(spec.variables).map(([key, value]) => [key, literal(value as PlainValue)]),
    );
    return [
      {
        step: 'render',
        call: 'files.template',
        args: {
          src: stringIO(spec.template),
          dest: literal(target),
          mode: literal(spec.mode),
          ...(spec.user ? { user: literal(spec.user) } : {}),
          ...(spec.group ? { group: literal(spec.group) } : {}),
          ...variables,
        },
      },
    ];
  },
  // Only the file is removed: its folder may hold other files.
  destroy: (identity) => [{ step: 'remove', call: 'files.file', args: { path: literal(identity.id), present: literal(false) } }],
  generation: templateGeneration,
});

/** A TemplateFileResource object. */
export type TemplateFileResource = InstanceType<typeof TemplateFileResource>;
