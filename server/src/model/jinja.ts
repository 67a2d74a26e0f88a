/**
 * A guard for Jinja2 templates the AI writes. PyInfra renders templates on the machine that
 * runs Clockwork, in a plain (not sandboxed) Jinja environment that also holds PyInfra's
 * `host` and `state`: a template can call Python from there. A template the user writes is
 * their own code; one the AI writes is checked first, and may only use plain Jinja on the
 * declared variables: `{{ name }}`, filters from a fixed list, `if`/`for`/`set`, literals.
 */

/** Filters and tests that only transform values. */
const SAFE_FILTERS = new Set([
  'abs', 'capitalize', 'center', 'default', 'd', 'e', 'escape', 'first', 'float', 'format', 'indent', 'int', 'join', 'last',
  'length', 'count', 'list', 'lower', 'replace', 'reverse', 'round', 'sort', 'string', 'title', 'trim', 'truncate', 'unique',
  'upper', 'urlencode', 'wordcount', 'tojson', 'dictsort', 'batch', 'slice', 'sum', 'min', 'max', 'items',
  // tests (after `is`)
  'defined', 'undefined', 'none', 'number', 'mapping', 'sequence', 'iterable', 'even', 'odd', 'divisibleby',
  'equalto', 'true', 'false', 'boolean', 'integer', 'in',
]);

/** Jinja words allowed inside tags. */
const KEYWORDS = new Set(['if', 'elif', 'else', 'endif', 'for', 'endfor', 'in', 'not', 'and', 'or', 'is', 'set', 'endset', 'true', 'false', 'none', 'True', 'False', 'None', 'loop']);

/** Methods allowed on values (dicts and strings). */
const SAFE_METHODS = new Set(['items', 'keys', 'values', 'get', 'upper', 'lower', 'strip', 'split', 'startswith', 'endswith', 'title']);

/** Statements allowed in `{% … %}`. */
const SAFE_STATEMENTS = new Set(['if', 'elif', 'else', 'endif', 'for', 'endfor', 'set', 'endset']);

const TAG = /\{\{-?([\s\S]*?)-?\}\}|\{%-?([\s\S]*?)-?%\}|\{#[\s\S]*?#\}/g;
const TOKEN = /\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|\*\*|\/\/|==|!=|<=|>=|[-+*/%~<>=()[\]{},:.|]/y;

/**
 * Why an AI-written template is not plain Jinja on `variables`, or undefined when it is.
 */
export function templateProblem(template: string, variables: readonly string[]): string | undefined {
  const known = new Set(variables);
  for (const match of template.matchAll(TAG)) {
    const isStatement = match[2] !== undefined;
    const body = (match[1] ?? match[2] ?? '').trim();
    if (match[1] === undefined && match[2] === undefined) continue; // a comment
    const tokens = tokenize(body);
    if (typeof tokens === 'string') return `${tokens} in ${JSON.stringify(match[0].slice(0, 60))}`;
    if (isStatement) {
      const statement = tokens[0] ?? '';
      if (!SAFE_STATEMENTS.has(statement)) return `the statement {% ${statement} %} is not allowed (only if, for and set)`;
      // Names a for loop or set introduces become known.
      if (statement === 'for') for (const token of tokens.slice(1, tokens.indexOf('in'))) if (/^[A-Za-z_]\w*$/.test(token)) known.add(token);
      if (statement === 'set' && tokens[1]) known.add(tokens[1]);
    }
    const problem = tokenProblem(tokens, known);
    if (problem) return `${problem} in ${JSON.stringify(match[0].slice(0, 60))}`;
  }
  return undefined;
}

function tokenize(body: string): string[] | string {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(body);
    if (!match) return `unexpected ${JSON.stringify(body.slice(at, at + 10))}`;
    if (match[0].trim() !== '') tokens.push(match[0]);
  }
  return tokens;
}

const isName = (token: string | undefined): boolean => token !== undefined && /^[A-Za-z_]/.test(token);
const isLiteral = (token: string | undefined): boolean => token !== undefined && /^["'\d]/.test(token);

function tokenProblem(tokens: readonly string[], known: ReadonlySet<string>): string | undefined {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    if (token === '**') return 'the power operator is not allowed';
    // No dynamic lookups: `x[...]` can reach any attribute, and calling what an expression
    // returns can run anything. Lists `[1, 2]` and grouping `(a or b)` are fine.
    if (token === '[' && (isName(before) && !KEYWORDS.has(before as string) || before === ')' || before === ']' || isLiteral(before))) {
      return 'subscripts such as x[...] are not allowed (use x.name)';
    }
    if (token === '(' && (before === ')' || before === ']' || isLiteral(before))) return 'calling a value is not allowed';
    if (!isName(token)) continue;
    if (token.startsWith('_')) return `the name ${token} is not allowed`;
    if (before === '.') {
      if (after === '(' && !SAFE_METHODS.has(token)) return `the method .${token}() is not allowed`;
      continue;
    }
    if (before === '|' || before === 'is' || (before === 'not' && tokens[index - 2] === 'is')) {
      if (!SAFE_FILTERS.has(token)) return `the filter or test ${token} is not allowed`;
      continue;
    }
    // A keyword argument (`truncate(20, end="…")`); `attribute=` would look up attributes by name.
    if (after === '=' && tokens[index - 2] !== 'set') {
      if (token === 'attribute') return 'the attribute= argument is not allowed';
      continue;
    }
    if (after === '(' ) return `calling ${token}() is not allowed`;
    if (KEYWORDS.has(token) || known.has(token)) continue;
    return `the name ${token} is not one of the template's variables (${[...known].join(', ') || 'none'})`;
  }
  return undefined;
}

/** Names every PyInfra template can use without declaring them, and Jinja's own globals. */
const ALWAYS_DEFINED = new Set(['host', 'state', 'inventory', 'range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace', 'loop']);

/**
 * The variables a template reads that are neither given nor defined in it (by `for` or
 * `set`): PyInfra renders with StrictUndefined, so each would fail the deploy. A template
 * this reader cannot follow yields none (PyInfra then has the last word).
 */
export function undefinedTemplateNames(template: string, variables: readonly string[]): string[] {
  const defined = new Set([...variables, ...ALWAYS_DEFINED]);
  const tags: string[][] = [];
  for (const match of template.matchAll(TAG)) {
    if (match[1] === undefined && match[2] === undefined) continue;
    const tokens = tokenize((match[1] ?? match[2] ?? '').trim());
    if (typeof tokens === 'string') return [];
    if (match[2] !== undefined && tokens[0] === 'for') for (const token of tokens.slice(1, tokens.indexOf('in'))) defined.add(token);
    if (match[2] !== undefined && tokens[0] === 'set' && tokens[1]) defined.add(tokens[1]);
    if (match[2] !== undefined && ['macro', 'call', 'import', 'from', 'include', 'extends', 'block', 'with', 'filter'].includes(tokens[0] ?? '')) return [];
    tags.push(tokens);
  }
  // A name tested with `is defined` or given a `default` anywhere may well be absent.
  const guarded = new Set<string>();
  for (const tokens of tags) {
    tokens.forEach((token, index) => {
      const [next, second, third] = [tokens[index + 1], tokens[index + 2], tokens[index + 3]];
      const tested = next === 'is' && (second === 'defined' || second === 'undefined' || (second === 'not' && (third === 'defined' || third === 'undefined')));
      if (tested || (next === '|' && (second === 'default' || second === 'd'))) guarded.add(token);
    });
  }
  const missing = new Set<string>();
  for (const tokens of tags) {
    tokens.forEach((token, index) => {
      if (guarded.has(token)) return;
      const before = tokens[index - 1];
      if (!isName(token) || KEYWORDS.has(token) || SAFE_STATEMENTS.has(token) || defined.has(token)) return;
      if (before === '.' || before === '|' || before === 'is' || (before === 'not' && tokens[index - 2] === 'is')) return;
      if (tokens[index + 1] === '=' && tokens[index - 2] !== 'set') return;
      if (['elif', 'else', 'endif', 'endfor', 'endset', 'raw', 'endraw', 'autoescape', 'endautoescape'].includes(token)) return;
      missing.add(token);
    });
  }
  return [...missing];
}
