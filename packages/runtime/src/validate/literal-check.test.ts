import { describe, expect, it } from 'vitest';
import { checkLiterals, type Opacity } from './literal-check';
import { findOutputPathProblem } from './output-path';

const templated = (value: unknown): Opacity =>
  typeof value === 'string' && value.startsWith('{{')
    ? 'any'
    : typeof value === 'string' && value.includes('{{')
      ? 'string'
      : false;

const schema = {
  type: 'object',
  properties: {
    customer: { $ref: '#/$defs/Customer' },
    note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] },
    },
    pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] },
    extra: { type: 'object', additionalProperties: { type: 'boolean' } },
  },
  required: ['customer'],
  additionalProperties: false,
  $defs: { Customer: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] } },
};

describe('checkLiterals', () => {
  it('follows $refs, unions, items, prefixItems and additionalProperties', () => {
    const issues = checkLiterals(
      {
        customer: {},
        note: 5,
        lines: [{ qty: 1 }, { qty: 1.5 }, {}],
        pair: ['a', 'b'],
        extra: { on: 'yes' },
      },
      schema,
      { opacity: templated },
    );
    expect(issues.map((i) => `${i.path.join('.')}: ${i.kind} ${i.text}`)).toEqual([
      'customer.email: missing required',
      'note: type expects a string or null, got the number 5',
      'lines.1.qty: type expects an integer, got the number 1.5',
      'lines.2.qty: missing required',
      'pair.1: type expects a number, got the string "b"',
      'extra.on: type expects a boolean, got the string "yes"',
    ]);
  });

  it('skips computed values and checks text templates as strings', () => {
    const issues = checkLiterals(
      {
        customer: '{{ event.data.customer }}',
        note: 'Hi {{ event.name }}',
        lines: '{{ event.lines }}',
        pair: ['{{ x }}', 'n: {{ y }}'],
      },
      schema,
      { opacity: templated },
    );
    expect(issues.map((i) => `${i.path.join('.')}: ${i.text}`)).toEqual([
      'pair.1: expects a number, got a text template (always a string)',
    ]);
  });

  it('counts a missing value as an empty object, and finds unknown fields with a hint', () => {
    expect(checkLiterals(undefined, schema, { opacity: templated }).map((i) => i.path.join('.'))).toEqual([
      'customer',
    ]);
    expect(checkLiterals({ customer: { email: 'a' }, nots: 'x' }, schema, { opacity: templated })).toEqual([
      { path: ['nots'], kind: 'unknown', text: 'has no field "nots"; did you mean "note"?' },
    ]);
  });
});

describe('findOutputPathProblem', () => {
  const output = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      items: { type: 'array', items: { $ref: '#/$defs/Item' } },
      meta: { type: 'object', additionalProperties: { type: 'string' } },
      any: {},
      maybe: {
        anyOf: [
          { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false },
          { type: 'null' },
        ],
      },
    },
    additionalProperties: false,
    $defs: { Item: { type: 'object', properties: { sku: { type: 'string' } }, additionalProperties: false } },
  };
  const path = (...names: string[]) => names.map((name) => ({ name, filtered: false }));

  it('accepts paths the schema allows, mapping over arrays as JSONata does', () => {
    for (const names of [
      path('id'),
      path('items', 'sku'),
      path('meta', 'anything'),
      path('any', 'x', 'y'),
      path('maybe', 'a'),
    ]) {
      expect(findOutputPathProblem([output], names)).toBeUndefined();
    }
  });

  it('finds the first name that cannot exist', () => {
    expect(findOutputPathProblem([output], path('items', 'skus'))).toEqual({ at: 1, known: ['sku'] });
    expect(findOutputPathProblem([output], path('id', 'length'))).toEqual({
      at: 1,
      known: [],
      primitive: 'string',
    });
    expect(findOutputPathProblem([output], path('maybe', 'b'))).toEqual({ at: 1, known: ['a'] });
  });

  it('accepts a name that any of several outputs (action and fallbacks) has', () => {
    const fallback = {
      type: 'object',
      properties: { provider: { type: 'string' } },
      additionalProperties: false,
    };
    expect(findOutputPathProblem([output, fallback], path('provider'))).toBeUndefined();
    expect(findOutputPathProblem([output, fallback], path('nope'))?.known).toEqual([
      'id',
      'items',
      'meta',
      'any',
      'maybe',
      'provider',
    ]);
  });
});
