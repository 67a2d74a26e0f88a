/** Reading generated PyInfra programs back with Python's own parser. */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** One operation call found in a generated program. */
export interface ParsedCall {
  call: string;
  /** Keyword arguments as values; `StringIO(x)` becomes `{ StringIO: x }`. */
  kwargs: Record<string, unknown>;
  /** The host names of an enclosing `if host.name in [...]`, or null. */
  hosts: string[] | null;
}

const EXTRACT = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
def value(node):
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "StringIO":
        return {"StringIO": ast.literal_eval(node.args[0])}
    return ast.literal_eval(node)
def call(node, hosts):
    if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call) or not isinstance(node.value.func, ast.Attribute):
        return None
    func = node.value.func
    if not isinstance(func.value, ast.Name) or func.value.id not in ("files", "docker", "server"):
        return None
    return {"call": func.value.id + "." + func.attr, "kwargs": {k.arg: value(k.value) for k in node.value.keywords}, "hosts": hosts}
calls = []
for node in tree.body:
    if isinstance(node, ast.If):
        hosts = ast.literal_eval(node.test.comparators[0])
        calls += [c for c in (call(n, hosts) for n in node.body) if c]
    else:
        c = call(node, None)
        if c: calls.append(c)
print(json.dumps(calls))
`;

/** The operation calls of a generated program, parsed by python3's `ast`. */
export function parseProgram(file: string): ParsedCall[] {
  return JSON.parse(execFileSync('python3', ['-c', EXTRACT, file], { encoding: 'utf8' })) as ParsedCall[];
}

/** Runs `python3 -m py_compile` on files; throws with Python's message when one does not compile. */
export function pyCompile(files: readonly string[]): void {
  // The byte code goes to a throw-away prefix, not beside the programs.
  execFileSync('python3', ['-m', 'py_compile', ...files], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(os.tmpdir(), 'clockwork-pycache') },
  });
}
