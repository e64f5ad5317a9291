import { describe, expect, it } from 'vitest';
import { compileTemplate, EXPRESSION_LIMITS, ExpressionError, type ExpressionScope } from './template';

const scope: ExpressionScope = {
  event: {
    id: 'evt_1',
    data: {
      total: 42,
      sku: 'A-1',
      items: [
        { sku: 'x', qty: 2 },
        { sku: 'y', qty: 1 },
      ],
    },
  },
  steps: { stock: { status: 'succeeded', output: { remaining: 3 } } },
  run: { id: 'run_1' },
};

describe('compileTemplate', () => {
  it('keeps the type of a string that is one expression, and joins text with expressions', async () => {
    expect(await compileTemplate('{{ event.data.total }}').evaluate(scope)).toBe(42);
    expect(await compileTemplate('{{ event.data.items.qty }}').evaluate(scope)).toEqual([2, 1]);
    expect(await compileTemplate('Order {{ event.id }}: {{ event.data.total * 2 }}').evaluate(scope)).toBe(
      'Order evt_1: 84',
    );
    expect(await compileTemplate('{{ event.missing }} left').evaluate(scope)).toBe(' left');
  });

  it('templates objects and arrays member by member', async () => {
    const template = compileTemplate({
      sku: '{{ event.data.sku }}',
      tags: ['a', '{{ steps.stock.status }}'],
      n: 1,
    });
    expect(template.isStatic).toBe(false);
    expect(template.sites.map((s) => s.source)).toEqual(['event.data.sku', 'steps.stock.status']);
    expect(await template.evaluate(scope)).toEqual({ sku: 'A-1', tags: ['a', 'succeeded'], n: 1 });
  });

  it('builds a static value at once, fresh each time, and keeps "__proto__" a plain key', async () => {
    const literal = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "list": [{"n": 1}]}');
    const template = compileTemplate(literal);
    expect(template.isStatic).toBe(true);
    const first = template.build!() as Record<string, unknown>;
    expect(Object.hasOwn(first, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(first).toEqual(await template.evaluate(scope));
    expect(template.build!()).not.toBe(first);
    expect((template.build!() as { list: unknown[] }).list).not.toBe(first.list);
    const dynamic = compileTemplate(
      JSON.parse('{"__proto__": "{{ event.id }}", "total": "{{ event.data.total }}"}'),
    );
    const value = (await dynamic.evaluate(scope)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.entries(value)).toEqual([
      ['__proto__', 'evt_1'],
      ['total', 42],
    ]);
  });

  it('reads expressions holding object constructors as one expression', async () => {
    const template = compileTemplate('{{ {"total": event.data.total, "meta": {"sku": event.data.sku}} }}');
    expect(await template.evaluate(scope)).toEqual({ total: 42, meta: { sku: 'A-1' } });
  });

  it('reports syntax errors, empty and unclosed expressions at compile time', () => {
    const error = (value: string) => {
      try {
        compileTemplate(value);
      } catch (e) {
        return e as ExpressionError;
      }
      throw new Error(`${value} compiled`);
    };
    expect(error('{{ event. }}')).toMatchObject({ name: 'ExpressionError', code: 'EXPRESSION_SYNTAX' });
    expect(error('{{ }}').code).toBe('EXPRESSION_EMPTY');
    expect(error('Hi {{ event.name').message).toBe(
      '"Hi {{ event.name": "{{" at character 4 has no matching "}}"',
    );
  });

  it('keeps $pad working below the string limit', async () => {
    expect(await compileTemplate('{{ $pad("ab", 5, "-") }}').evaluate(scope)).toBe('ab---');
    expect(await compileTemplate('{{ event.data.sku.$pad(-5) }}').evaluate(scope)).toBe('  A-1');
  });

  it('evaluates once compiled, many times, with different scopes', async () => {
    const template = compileTemplate('{{ item.sku & "/" & index }}');
    expect(await template.evaluate({ ...scope, item: { sku: 'x' }, index: 0 })).toBe('x/0');
    expect(await template.evaluate({ ...scope, item: { sku: 'y' }, index: 1 })).toBe('y/1');
  });

  it('exposes its limits', () => {
    expect(EXPRESSION_LIMITS).toMatchObject({ timeoutMs: 250, stack: 200, sequence: 100_000 });
  });

  it('fails an evaluation with EXPRESSION_FAILED and the expression in the message', async () => {
    await expect(compileTemplate('{{ event.data.sku + 1 }}').evaluate(scope)).rejects.toMatchObject({
      code: 'EXPRESSION_FAILED',
      message: expect.stringContaining('"{{ event.data.sku + 1 }}" failed'),
    });
    await expect(compileTemplate('{{ event.data.sku + 1 }}').evaluate(scope)).rejects.toBeInstanceOf(
      ExpressionError,
    );
  });
});
