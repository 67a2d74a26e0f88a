import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { ClockworkValidationError, FileExistsAssert, FileResource } from '../../server/src/model/index.js';
import { assertionDefinitions, conceptKinds, resourceDefinitions } from '../../server/src/model/registry.js';
import * as clockwork from '../../server/src/model/index.js';

/** Every zod schema node below `schema` that is an object property, with its path. */
function properties(schema: z.ZodType): [string, z.ZodType][] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape);
}

describe('the model', () => {
  it('registers nine resources and twenty-four assertions, each exported from "clockwork"', () => {
    assert.deepEqual(resourceDefinitions.map((d) => d.kind).sort(), [
      'DirectoryResource',
      'DockerServiceResource',
      'FileResource',
      'GitRepoResource',
      'GroupResource',
      'PackageResource',
      'SymlinkResource',
      'TemplateFileResource',
      'UserResource',
    ]);
    assert.equal(assertionDefinitions.length, 24);
    for (const kind of conceptKinds) assert.equal(typeof (clockwork as Record<string, unknown>)[kind], 'function', kind);
  });

  it('documents every field of every schema with .describe()', () => {
    for (const definition of [...resourceDefinitions, ...assertionDefinitions]) {
      for (const [name, field] of properties(definition.schema)) {
        assert.ok(field.description && field.description.length > 10, `${definition.kind}.${name} has no description`);
      }
      assert.ok(definition.summary.length > 10 && definition.example.includes(definition.kind), `${definition.kind} docs`);
    }
  });

  it('exports a JSON schema for every concept (what the AI answers in)', () => {
    for (const definition of [...resourceDefinitions, ...assertionDefinitions]) {
      const schema = z.toJSONSchema(definition.schema, { io: 'input' }) as { properties: Record<string, { description?: string }> };
      for (const [name] of properties(definition.schema)) assert.ok(schema.properties[name]?.description, `${definition.kind}.${name}`);
    }
  });

  it('every documented example is itself valid', () => {
    for (const definition of [...resourceDefinitions, ...assertionDefinitions]) {
      const literal = definition.example.replace(/^new \w+\(/, '').replace(/\)$/, '');
      const value = new Function(`return (${literal});`)() as unknown;
      const result = definition.schema.safeParse(value);
      assert.ok(result.success, `${definition.kind}: ${JSON.stringify(result.error?.issues)}`);
    }
  });

  it('constructors throw a readable error outside the loader, naming the calling line', () => {
    assert.throws(
      () => new FileResource({ name: 'notes.md', mode: 'rwx' }),
      (error: Error) =>
        error instanceof ClockworkValidationError &&
        /model\.test\.ts:\d+:\d+ FileResource "notes\.md": mode: expected an octal mode like "644", got "rwx"$/.test(error.message) &&
        error.issues[0]?.path === 'mode',
    );
  });

  it('applies defaults and keeps assertions', () => {
    const resource = new FileResource({ name: 'a.md', content: '', assertions: [new FileExistsAssert({ path: 'a.md' })] });
    assert.equal(resource.spec.mode, '644');
    assert.equal(resource.spec.size, 'small');
    assert.equal(resource.assertions[0]?.spec['timeoutSeconds'], 5);
  });
});
