import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { pythonLiteral, type JsonValue } from '../../server/src/codegen/python.js';
import { shellQuote } from '../../server/src/codegen/shell.js';

// Characters that break naive quoting, mixed into otherwise random strings.
const tricky = fc.constantFrom("'", '"', '"""', "'''", '\\', '\\\\', '\n', '\r', '\t', '\u2028', '\u202e', '\u00a0', '$(', '`', '${x}', '*', ' ', '\x7f', '\x1b', '€', '😀', '\ud800', '\udfff', '\u0301');
const anyCodeUnit = fc.integer({ min: 1, max: 0xffff }).map((code) => String.fromCharCode(code));
const pythonText = fc.string({ unit: fc.oneof(tricky, anyCodeUnit, fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 40 });
const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    pythonText,
    fc.constantFrom(null, true, false, 0, -0, 1e21, -1.5e-7, Number.MAX_SAFE_INTEGER),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(pythonText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const ROUND_TRIP_PY = `
import ast, json, sys
failures = []
for line in sys.stdin.read().split("\\n"):
    if not line:
        continue
    source, expected = json.loads(line)
    try:
        value = ast.literal_eval(source)
    except Exception as error:
        failures.append([source, repr(error)])
        continue
    if value != json.loads(expected) or type(value) is not type(json.loads(expected)) and not isinstance(value, (int, float)):
        failures.append([source, repr(value)])
print(json.dumps(failures))
`;

describe('pythonLiteral (property)', function () {
  this.timeout(60_000);

  it('ast.literal_eval reads every literal back as the same value (2,000 random values, one python3 run)', () => {
    const values = fc.sample(jsonValue, { numRuns: 2000, seed: 42 });
    values.push('"""', "'''", 'a\\', '\ud800x\udc00', 'line 1\nline 2\nline 3\n'.repeat(20));
    const input = values.map((value, index) => JSON.stringify([pythonLiteral(value, index % 2 ? '    ' : ''), JSON.stringify(value)])).join('\n');
    const failures = JSON.parse(execFileSync('python3', ['-c', ROUND_TRIP_PY], { input, encoding: 'utf8' })) as unknown[];
    assert.deepEqual(failures.slice(0, 5), []);
  });

  it('refuses values Python has no literal for', () => {
    assert.throws(() => pythonLiteral(Number.NaN), /no Python literal/);
    assert.throws(() => pythonLiteral(Number.POSITIVE_INFINITY), /no Python literal/);
  });

  it('keeps generated programs readable: long text becomes one quoted line per line', () => {
    const literal = pythonLiteral('# Title\n\nSome text.\nMore.\n', '');
    assert.equal(literal, "(\n    '# Title\\n'\n    '\\n'\n    'Some text.\\n'\n    'More.\\n'\n)");
  });
});

describe('shellQuote (property)', function () {
  this.timeout(60_000);

  it('sh prints every quoted word back byte for byte (2,000 random strings, one sh run)', () => {
    const shellText = fc.string({ unit: fc.oneof(tricky.filter((t) => !/[\ud800-\udfff]/.test(t) || t === '😀'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 40 });
    const values = fc.sample(shellText.filter((value) => !value.includes('\0')), { numRuns: 2000, seed: 7 });
    values.push('', "'", "''", '-n', '--', '$(touch /tmp/clockwork-pwned)', '`id`', '~', '*', 'a b', '\n');
    const script = values.map((value) => `printf '%s\\0' ${shellQuote(value)}`).join('\n');
    const output = execFileSync('sh', ['-c', script], { encoding: 'buffer' });
    const printed = output.toString('utf8').split('\0').slice(0, -1);
    assert.equal(printed.length, values.length);
    const mismatches = values.filter((value, index) => printed[index] !== value);
    assert.deepEqual(mismatches.slice(0, 5), []);
  });

  it('refuses NUL, which no shell word can hold', () => {
    assert.throws(() => shellQuote('a\0b'), /NUL/);
  });
});
