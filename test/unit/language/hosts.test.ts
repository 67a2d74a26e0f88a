/**
 * The language server and hosts: diagnostics on a bad host (its own schema, a duplicate name, a
 * targets element that is no host), completion and hover for SshHost's fields and for targets,
 * the outline, and the hosts of each resource in the document model (the Testing panel's host level).
 */
import * as assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { codeLenses, resultSummary } from '../../../server/src/language/codeLens.js';
import { complete } from '../../../server/src/language/complete.js';
import { hover } from '../../../server/src/language/hover.js';
import { documentModel } from '../../../server/src/language/model.js';
import { symbols } from '../../../server/src/language/symbols.js';
import { validate } from '../../../server/src/language/validate.js';
import { typeDeclarations } from '../../../server/src/model/typeDeclarations.js';
import { covered, parse, positionAfter, where } from './helpers.js';

const text = `import { SshHost, FileResource, FileExistsAssert } from "clockwork";

const web1 = new SshHost({ name: "web1", address: "203.0.113.10", user: "deploy", keyFile: "~/.ssh/id_ed25519" });
const web2 = new SshHost({ name: "web2", address: "", port: 70000, hostKeys: "yes" });
const db = new SshHost({ name: "web1", address: "203.0.113.20", adress: "x" });
const note = new FileExistsAssert({ path: "/srv/motd" });

export default [
  new FileResource({ name: "motd", path: "/srv/motd", content: "hi", targets: [web1, web2, "web3", note, web1],
    assertions: [note] }),
  new FileResource({ name: "local.txt", content: "x", targest: [] }),
];
`;

function diagnostics(source: string): { where: string; text: string; code: string; message: string }[] {
  const doc = parse(source);
  return validate(doc).map((diagnostic) => ({ where: where(diagnostic.range), text: covered(doc, diagnostic.range), code: String(diagnostic.code), message: String(diagnostic.message) }));
}

function labels(items: CompletionItem[]): string[] {
  return items.map((item) => String(item.label));
}

describe('language: hosts', () => {
  it('reports a bad host field at its value, with SshHost\'s own schema', () => {
    const found = diagnostics(text).filter((item) => item.code === 'schema');
    assert.deepEqual(found.map((item) => [item.text, item.message]), [
      ['""', 'address: expected an address, got an empty string'],
      ['70000', 'port: expected a port number from 1 to 65535, got 70000'],
      ['"yes"', 'hostKeys: expected one of "strict", "accept-new", got "yes"'],
    ]);
    const unknown = diagnostics(text).filter((item) => item.code === 'unknown-property');
    assert.deepEqual(unknown.map((item) => [item.text, item.message]), [
      ['adress', 'unknown property "adress" of SshHost; did you mean "address"?'],
      ['targest', 'unknown property "targest" of FileResource; did you mean "targets"?'],
    ]);
  });

  it('marks both declarations of a duplicate host name', () => {
    const found = diagnostics(text).filter((item) => item.code === 'duplicate-name');
    assert.deepEqual(found.map((item) => [item.where, item.message]), [
      ['3:33-3:39', 'duplicate host name "web1": also declared on line 5; host names must be unique'],
      ['5:31-5:37', 'duplicate host name "web1": also declared on line 3; host names must be unique'],
    ]);
  });

  it('reports targets elements that are no host, and a host listed twice', () => {
    const found = diagnostics(text).filter((item) => item.code === 'not-a-host');
    assert.deepEqual(found.map((item) => [item.text, item.message]), [
      ['"web3"', 'targets.2: expected a host such as new SshHost({...}), got "web3"'],
      ['note', 'targets.3: expected a host such as new SshHost({...}), got note (a FileExistsAssert)'],
      ['web1', 'targets.4: host "web1" is listed twice'],
    ]);
  });

  it('completes SshHost\'s fields, the class after `const x = new`, and the host variables inside targets: [ ]', () => {
    const source = `import { SshHost, FileResource } from "clockwork";
const web1 = new SshHost({ name: "web1", address: "203.0.113.10", user: "deploy" });
const web2 = new SshHost({ name: "web2", address: "203.0.113.11",  });
const web3 = new Ss
export default [new FileResource({ name: "a", content: "a", targets: [web1, ] })];
`;
    const doc = parse(source);
    const fields = complete(doc, positionAfter(source, '"203.0.113.11", '));
    assert.deepEqual(labels(fields).sort(), ['data', 'hostKeys', 'keyFile', 'knownHostsFile', 'port', 'user']);
    const hostKeys = fields.find((item) => item.label === 'hostKeys');
    assert.match(String((hostKeys?.documentation as { value: string }).value), /strict: refuse a host whose key is not in the known_hosts file/);
    const classes = complete(doc, positionAfter(source, 'new Ss'));
    assert.deepEqual(labels(classes), ['SshHost']);
    assert.equal((classes[0]?.textEdit as { newText: string }).newText, 'new SshHost({ name: "${1}", address: "${2}" })');
    const inTargets = complete(doc, positionAfter(source, 'targets: [web1, '));
    assert.deepEqual(labels(inTargets), ['web1', 'web2']);
    assert.match(String(inTargets[0]?.detail), /SshHost "web1" \(deploy@203\.0\.113\.10\)/);
    assert.ok((inTargets[1]?.sortText ?? '') < (inTargets[0]?.sortText ?? ''), 'hosts not listed yet come first');
    const resourceFields = complete(doc, positionAfter(source, 'content: "a", '));
    assert.equal(resourceFields.some((item) => item.label === 'targets'), false, 'targets is given already');
  });

  it('hovers SshHost, its fields and a resource\'s targets', () => {
    const doc = parse(text);
    const value = (needle: string, delta?: number): string => ((hover(doc, positionAfter(text, needle, delta))?.contents as { value: string } | undefined)?.value ?? '');
    assert.match(value('new SshHost', 6), /^\*\*SshHost\*\*\n\nA machine Clockwork deploys to over SSH\./);
    assert.match(value('keyFile', 2), /^\*\*keyFile\*\*\?: `string` — SshHost\n\nThe private key to log in with, as a path/);
    assert.match(value('targets', 2), /^\*\*targets\*\*\?: `host\[\]` — FileResource\n\nThe hosts this resource goes to/);
  });

  it('lists hosts in the outline and each resource\'s hosts in the document model', () => {
    const doc = parse(text);
    assert.deepEqual(symbols(doc).map((symbol) => `${symbol.detail} ${symbol.name}`), ['SshHost web1', 'SshHost web2', 'SshHost web1', 'FileResource motd', 'FileResource local.txt']);
    assert.deepEqual(documentModel(doc, 1).resources.map((resource) => [resource.name, resource.hosts]), [['motd', ['web1', 'web2', 'web1']], ['local.txt', undefined]]);
  });

  it('declares SshHost and targets for editors resolving clockwork through types/clockwork.d.ts', () => {
    const declarations = typeDeclarations();
    assert.match(declarations, /export class SshHost implements HostInstance \{/);
    assert.match(declarations, /targets\?: HostInstance\[\];/);
  });

  it('CodeLens names where a resource goes and sums its results per host', () => {
    const titles = codeLenses(parse(text)).map((lens) => lens.command?.title);
    assert.ok(titles.includes('on web1, web2'), titles.join(', '));
    const on = (...statuses: [string, string][]) => ({ status: 'passed' as const, hosts: statuses.map(([host, status]) => ({ host, status: status as 'passed' | 'failed' })) });
    const record = (assertions: ReturnType<typeof on>[]) => [{ name: 'motd', kind: 'FileResource', assertions }];
    assert.equal(resultSummary(record([on(['web1', 'passed'], ['web2', 'passed']), on(['web1', 'passed'], ['web2', 'passed'])])), '✓ 4/4 on 2 hosts');
    assert.equal(resultSummary(record([on(['web1', 'passed'], ['web2', 'passed']), on(['web1', 'passed'], ['web2', 'failed'])])), '✗ 1 failed on web2');
    assert.equal(resultSummary(record([on(['web1', 'passed']), on(['web1', 'passed'])])), '✓ 2/2 assertions on web1');
    assert.equal(resultSummary([{ name: 'a', kind: 'FileResource', assertions: [{ status: 'passed' }, { status: 'passed' }] }]), '✓ 2/2 assertions', 'this machine: as before');
  });
});
