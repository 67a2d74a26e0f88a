/**
 * The editor and the kinds of issue 15: every resource and assertion is offered and
 * documented (derived from the registry), the new kinds are validated as you type, and
 * `dependsOn` is understood: not an unknown property, completed and hovered, its cycles
 * marked on each resource in them, and values that cannot be resources marked.
 */
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { complete } from '../../../server/src/language/complete.js';
import { hover } from '../../../server/src/language/hover.js';
import { validate } from '../../../server/src/language/validate.js';
import { assertionDefinitions, resourceDefinitions } from '../../../server/src/model/registry.js';
import { covered, parse, positionAfter } from './helpers.js';


const diagnosticsOf = (text: string): { message: string; code: string; text: string }[] => {
  const doc = parse(text);
  return validate(doc).map((diagnostic: Diagnostic) => ({ message: String(diagnostic.message), code: String(diagnostic.code), text: covered(doc, diagnostic.range) }));
};

describe('language: the new kinds and dependsOn', () => {
  it('offers every resource kind in the exported array and every assertion in assertions: [ ]', () => {
    const text = `import { UserResource } from "clockwork";\nexport default [\n  new UserResource({ name: "web", assertions: [  ] }),\n  \n];\n`;
    const doc = parse(text);
    const resources = complete(doc, positionAfter(text, '}),\n  ')).map((item) => item.label);
    assert.deepEqual([...resources].sort(), resourceDefinitions.map((definition) => definition.kind).sort());
    const assertions = complete(doc, positionAfter(text, 'assertions: [ ')).map((item) => item.label);
    assert.deepEqual([...assertions].sort(), assertionDefinitions.map((definition) => definition.kind).sort());
    // UserExistsAssert is made for a UserResource: it comes first.
    assert.equal(assertions[0], 'UserExistsAssert');
  });

  it('fills an assertion\'s path from the directory, link or checkout it is written in', () => {
    const text = `import { DirectoryResource } from "clockwork";\nexport default [new DirectoryResource({ name: "site", path: "/srv/site", assertions: [  ] })];\n`;
    const items = complete(parse(text), positionAfter(text, 'assertions: [ '));
    const owner = items.find((item) => item.label === 'FileOwnerAssert');
    assert.match((owner?.textEdit as { newText: string } | undefined)?.newText ?? '', /^new FileOwnerAssert\(\{ path: "\$\{1:\/srv\/site\}"/);
  });

  it('documents each kind on hover, from its summary and example', () => {
    for (const kind of [...resourceDefinitions, ...assertionDefinitions].map((definition) => definition.kind)) {
      const text = `import { ${kind} } from "clockwork";\nconst x = new ${kind}({});\n`;
      const result = hover(parse(text), positionAfter(text, `new ${kind.slice(0, 3)}`));
      const value = (result?.contents as { value: string } | undefined)?.value ?? '';
      assert.match(value, new RegExp(`\\*\\*${kind}\\*\\*`), kind);
      assert.match(value, new RegExp(`new ${kind}\\(`), `${kind}: no example`);
    }
  });

  it('validates the new kinds as you type, with the runtime schemas', () => {
    const text = `import { UserResource, GitRepoResource, PackageResource, TemplateFileResource, KernelParamAssert } from "clockwork";
export default [
  new UserResource({ name: "web", shell: "bin/sh", uid: 0 }),
  new GitRepoResource({ name: "src", repoUrl: "not a url", dest: "/srv/my app" }),
  new PackageResource({ name: "tools", packages: ["Nginx!"] }),
  new TemplateFileResource({ name: "a.conf", template: "x", variables: { src: 1 }, assertions: [new KernelParamAssert({ key: "a..b", value: 1 })] }),
];
`;
    const found = diagnosticsOf(text).map((d) => `${d.text} ${d.message}`);
    const expect = [
      /^"bin\/sh" shell: expected a login shell: an absolute path/,
      /^0 uid: expected a user id/,
      /^"not a url" repoUrl: expected a Git URL/,
      /^"\/srv\/my app" dest: expected a path of letters, digits/,
      /^"Nginx!" packages\.0: expected a Debian package name/,
      /^1 variables\.src: expected a variable name/,
      /^"a\.\.b" key: expected a sysctl key/,
    ];
    for (const pattern of expect) assert.ok(found.some((line) => pattern.test(line)), `${pattern} not in:\n${found.join('\n')}`);
  });

  it('knows dependsOn: no unknown-property diagnostic, completed and hovered on every resource', () => {
    const text = `import { DirectoryResource, FileResource } from "clockwork";
const site = new DirectoryResource({ name: "site" });
export default [site, new FileResource({ name: "a.txt", content: "x", dependsOn: [site],  })];
`;
    assert.deepEqual(diagnosticsOf(text), []);
    const doc = parse(text);
    const labels = complete(doc, positionAfter(text, 'site],  ', 'site], '.length)).map((item) => item.label);
    assert.ok(labels.includes('assertions'), labels.join());
    assert.ok(!labels.includes('dependsOn'), 'dependsOn is offered although given');
    const fresh = complete(parse(text.replace('dependsOn: [site],', '')), positionAfter(text.replace('dependsOn: [site],', ''), 'content: "x",  ', 'content: "x", '.length));
    const item = fresh.find((candidate) => candidate.label === 'dependsOn');
    assert.equal(item?.detail, 'resource[]');
    const shown = hover(doc, positionAfter(text, 'depends', 3));
    assert.match((shown?.contents as { value: string }).value, /\*\*dependsOn\*\*\?: `resource\[\]` — FileResource\n\nThe resources this one needs first/);
  });

  it('marks a dependency cycle on each resource in it, naming the cycle (dependsOn and dependsOn.push)', () => {
    const text = `import { DirectoryResource, FileResource, UserResource } from "clockwork";
const a = new DirectoryResource({ name: "a" });
const b = new FileResource({ name: "b.txt", content: "x", dependsOn: [a] });
const c = new DirectoryResource({ name: "c", dependsOn: [b] });
const free = new UserResource({ name: "web", dependsOn: [c] });
a.dependsOn.push(c);
export default [a, b, c, free];
`;
    const cycles = diagnosticsOf(text).filter((d) => d.code === 'dependency-cycle');
    assert.deepEqual(
      cycles.map((d) => d.text),
      ['"a"', '"b.txt"', '"c"'],
    );
    for (const d of cycles) {
      assert.equal(
        d.message,
        'dependency cycle DirectoryResource "a" → DirectoryResource "c" → FileResource "b.txt" → DirectoryResource "a" (each depends on the next); a resource cannot come after itself, so remove one of these dependsOn',
      );
    }
    // Without the push there is no cycle.
    assert.deepEqual(diagnosticsOf(text.replace('a.dependsOn.push(c);\n', '')).filter((d) => d.code === 'dependency-cycle'), []);
  });

  it('marks a resource that depends on itself, and dependsOn values that cannot be resources', () => {
    const text = `import { DirectoryResource, FileExistsAssert } from "clockwork";
const self = new DirectoryResource({ name: "self" });
self.dependsOn.push(self);
export default [self, new DirectoryResource({ name: "odd", dependsOn: ["self", new FileExistsAssert({ path: "x" })] }), new DirectoryResource({ name: "one", dependsOn: self })];
`;
    const found = diagnosticsOf(text).map((d) => `${d.code} ${d.text}: ${d.message}`);
    assert.deepEqual(found, [
      'not-a-resource "self": dependsOn.0: expected a resource such as siteDirectory, got "self"',
      'not-a-resource new FileExistsAssert({ path: "x" }): dependsOn.1: expected a resource such as siteDirectory, got a FileExistsAssert',
      'dependency-cycle "self": dependency cycle DirectoryResource "self" → DirectoryResource "self" (each depends on the next); a resource cannot come after itself, so remove one of these dependsOn',
    ]);
  });
});
