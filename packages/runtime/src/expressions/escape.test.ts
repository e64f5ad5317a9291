import { afterEach, describe, expect, it } from 'vitest';
import { compileTemplate, type ExpressionScope } from './template';

/**
 * What a hostile expression, or a hostile payload read by an honest one,
 * can reach: nothing but data. No host object (functions, constructors,
 * globals, modules), no prototype of the process, and no way to stall a
 * worker.
 */

function payload(): ExpressionScope {
  // Parsed like a webhook body: "__proto__" and "constructor" are own keys here.
  const data = JSON.parse(
    '{"name":"x","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"items":[{"sku":"a"}]}',
  );
  return {
    event: { id: 'evt_1', data },
    steps: { a: { status: 'succeeded', output: { id: 'ch_1' } } },
    run: {},
  };
}

async function evaluate(expression: string): Promise<unknown> {
  return compileTemplate(`{{ ${expression} }}`).evaluate(payload());
}

/** True when `value` is JSON data all the way down: no functions, no exotic prototypes. */
function isPlainData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(value).every(
    (key) => key !== '__proto__' && isPlainData((value as Record<string, unknown>)[key]),
  );
}

/** The naive deep merge many libraries once had: the way payload keys used to pollute prototypes. */
function naiveMerge(target: Record<string, unknown>, source: unknown): Record<string, unknown> {
  if (source === null || typeof source !== 'object') return target;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (value !== null && typeof value === 'object') {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      naiveMerge(target[key] as Record<string, unknown>, value);
    } else target[key] = value;
  }
  return target;
}

const HOST_REACH = [
  'constructor',
  'constructor.constructor',
  '$.constructor.constructor',
  '$$.constructor',
  'event.constructor.constructor',
  'event.data.name.constructor',
  '`constructor`.`constructor`',
  '__proto__',
  'event.__proto__.constructor',
  '`__proto__`.`constructor`',
  'this',
  'globalThis',
  'global',
  'process',
  'process.env',
  'process.mainModule.require',
  'require',
  'module',
  'Function',
  // JSONata backtick names written like JavaScript template literals: part of the corpus on purpose.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JSONata name, not a template
  '`${process}`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JSONata name, not a template
  '`${globalThis.process.env}`',
  '$lookup($, "constructor")',
  '$lookup(event, "__proto__")',
  '$lookup($string, "constructor")',
  '{}.constructor',
  '[].constructor',
  '"abc".constructor',
  '$string.constructor',
  '($f := function() { 1 }; $f.constructor)',
  '$keys({}.constructor)',
  '$each(event, function($v, $k) { $v.constructor })',
  '$sift($, function($v) { $v.constructor })',
  '$string',
  '$clone',
  '{"f": $string, "g": function() { 1 }}',
  '[$lookup, $map]',
  '$.$',
];

const SYNTAX_ESCAPES = ['import("node:fs")', 'require("child_process")', 'new Function("return process")()'];

describe('the expression escape corpus', () => {
  afterEach(() => {
    // Whatever an expression did, the process's prototypes stay clean.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it.each(HOST_REACH)('%s reaches no host object', async (expression) => {
    const result = await evaluate(expression);
    expect(isPlainData(result)).toBe(true);
    expect(typeof result).not.toBe('function');
  });

  it.each(SYNTAX_ESCAPES)('%s cannot call into the host', async (expression) => {
    let outcome: unknown;
    try {
      outcome = await evaluate(expression);
    } catch (error) {
      expect((error as { code?: string }).code).toMatch(/^EXPRESSION_(SYNTAX|FAILED)$/);
      return;
    }
    expect(isPlainData(outcome)).toBe(true);
  });

  it('$eval is refused, also when called indirectly', async () => {
    await expect(evaluate('$eval("1 + 1")')).rejects.toMatchObject({ code: 'EXPRESSION_FORBIDDEN' });
    await expect(evaluate('($e := $eval; $e("process"))')).rejects.toMatchObject({
      code: 'EXPRESSION_FORBIDDEN',
    });
  });

  it('leaves the scope it reads unchanged', async () => {
    const scope = payload();
    const before = JSON.stringify(scope);
    await compileTemplate('{{ event.data ~> | $ | {"name": "changed"} | }}').evaluate(scope);
    await compileTemplate('{{ $merge([event.data, {"name": "changed"}]) }}').evaluate(scope);
    expect(JSON.stringify(scope)).toBe(before);
  });
});

describe('payload keys cannot pollute prototypes', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    'event.data',
    '$merge([event.data, {"a": 1}])',
    '{"__proto__": event.data.`__proto__`, "a": 1}',
    '{"constructor": {"prototype": {"polluted": "yes"}}}',
    'event.data ~> | $ | {"__proto__": {"polluted": "yes"}} |',
    '$spread(event.data)',
    '$sift(event.data, function($v) { true })',
    '[event.data, event.data.items]',
  ])('%s hands back data without prototype-polluting keys', async (expression) => {
    const result = await evaluate(expression);
    expect(isPlainData(result)).toBe(true);
    expect(JSON.stringify(result)).not.toContain('__proto__');
    expect((result as Record<string, unknown>)?.polluted).toBeUndefined();
    // Even merged into an object the naive way, the result leaves Object.prototype alone.
    naiveMerge({}, result);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a whole template of objects keeps payload keys as data', async () => {
    const result = await compileTemplate({
      copy: '{{ event.data }}',
      name: '{{ event.data.name }}',
    }).evaluate(payload());
    expect(isPlainData(result)).toBe(true);
    expect(result).toEqual({ copy: { name: 'x', items: [{ sku: 'a' }] }, name: 'x' });
  });
});

describe('expressions are bounded in time, depth and size', () => {
  const failure = async (expression: string) => {
    try {
      await evaluate(expression);
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error(`${expression} did not fail`);
  };

  it('an infinite tail recursion stops at the time limit', async () => {
    const error = await failure('($f := function($n) { $f($n + 1) }; $f(0))');
    expect(error.code).toBe('EXPRESSION_LIMIT');
    expect(error.message).toContain(
      'ran longer than 250ms (the limit); check for an infinite loop or recursion',
    );
  }, 10_000);

  it('a deep recursion stops at the depth limit', async () => {
    const error = await failure('($f := function($n) { $n + $f($n + 1) }; $f(0))');
    expect(error.message).toContain('nested deeper than 200 levels (the limit)');
  }, 10_000);

  it('a huge range stops before it is allocated', async () => {
    expect((await failure('[1..100000000]')).message).toContain('built a sequence of more than 100000 items');
    expect((await failure('$count([1..10000000])')).message).toContain(
      'built a sequence of more than 100000 items',
    );
    expect((await failure('$sum([1..200000])')).message).toContain(
      'built a sequence of more than 100000 items',
    );
  }, 10_000);

  it('strings stop growing at the size limit', async () => {
    expect((await failure('$pad("", 100000000)')).message).toContain(
      'built a string longer than 1000000 characters',
    );
    const doubling = '($d := function($s) { $d($s & $s) }; $d("x"))';
    expect((await failure(doubling)).message).toContain('built a string longer than 1000000 characters');
  }, 10_000);
});
