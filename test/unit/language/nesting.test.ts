import * as assert from 'node:assert/strict';
import { ClockworkDocuments } from '../../../server/src/language/documents.js';
import { MAX_NESTING, nestingDepth } from '../../../server/src/language/nesting.js';

const FILE = "import { FileResource, FileExistsAssert } from 'clockwork';\nexport default [\n  new FileResource({ name: 'a.txt', content: 'x', assertions: [new FileExistsAssert({ path: 'a.txt' })] }),\n];\n";

describe('nesting depth of a clockwork document', () => {
  it('counts (), [], {} and template ${} but not what strings and comments hold', () => {
    assert.equal(nestingDepth('{ a: { b: [ ( ) ] } }'), 4);
    assert.equal(nestingDepth('"(((" + \'[[[\' // {{{\n /* ((( */ ()'), 1);
    assert.equal(nestingDepth('f(`a ${ g([1]) } b ${ "}" } (((`)'), 4);
    assert.equal(nestingDepth('`outer ${ `inner ${ [1] }` }`'), 3);
    assert.equal(nestingDepth(')))]]]}}} ((('), 3, 'unbalanced closers do not go below zero');
    assert.equal(nestingDepth(FILE), 6);
  });

  it('reads a file nested up to the limit, and refuses a deeper one with the same message however the text was reached', () => {
    const nested = (depth: number): string => `export default [${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}];\n`;
    const documents = new ClockworkDocuments();
    const uri = 'file:///project/clockwork.ts';
    documents.open(uri, 1, nested(MAX_NESTING));
    assert.deepEqual(documents.diagnostics(uri).filter((diagnostic) => /nests too deeply/.test(String(diagnostic.message))), []);

    const deep = nested(MAX_NESTING + 1);
    const fresh = new ClockworkDocuments();
    fresh.open('file:///fresh/clockwork.ts', 1, deep);
    const [refused] = fresh.diagnostics('file:///fresh/clockwork.ts');
    assert.match(String(refused?.message), new RegExp(`nests too deeply \\(more than ${MAX_NESTING} levels`));

    // The same text reached by an incremental edit of a readable file gets the same answer…
    documents.open(uri, 1, FILE);
    documents.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } }, text: deep }]);
    assert.deepEqual(documents.diagnostics(uri), fresh.diagnostics('file:///fresh/clockwork.ts'));
    assert.deepEqual(documents.get(uri)?.resources, []);
    // …and an edit back within the limit reads it again.
    documents.change(uri, 3, [{ text: FILE }]);
    assert.equal(documents.get(uri)?.resources.length, 1);
  });
});
