import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type JsonSchema, toJsonSchema } from '../manifest';
import { compareSchemas } from './compare-schema';
import type { SchemaRole } from './types';

/** The changes between two zod schemas (or raw JSON Schemas) as `path kind severity: message` lines. */
function changes(before: z.ZodType | JsonSchema, after: z.ZodType | JsonSchema, role: SchemaRole): string[] {
  const io = role === 'accepts' ? 'input' : 'output';
  const schema = (s: z.ZodType | JsonSchema) => (s instanceof z.ZodType ? toJsonSchema(s, io) : s);
  return compareSchemas(schema(before), schema(after), role, { writers: 'flows' }).map(
    (c) => `${c.path.join('/') || '.'} ${c.kind} ${c.severity}: ${c.message}`,
  );
}

const item = { name: z.string(), quantity: z.number().int().positive() };

describe('compareSchemas: what a connector accepts (input, config)', () => {
  it.each<[string, z.ZodType | JsonSchema, z.ZodType | JsonSchema, string[]]>([
    ['nothing changed', z.object(item), z.object(item), []],
    [
      'only descriptions changed',
      z.object(item),
      z.object({ ...item, name: z.string().describe('The name') }).describe('An item'),
      [],
    ],
    [
      'a field added as required',
      z.object(item),
      z.object({ ...item, sku: z.string() }),
      ['sku field-added breaking: new required field: flows that do not give it are refused'],
    ],
    [
      'a field added as optional',
      z.object(item),
      z.object({ ...item, sku: z.string().optional() }),
      ['sku field-added additive: new optional field'],
    ],
    [
      'an optional field made required',
      z.object({ ...item, sku: z.string().optional() }),
      z.object({ ...item, sku: z.string() }),
      ['sku field-required breaking: now required'],
    ],
    [
      'a required field made optional',
      z.object(item),
      z.object({ ...item, name: z.string().optional() }),
      ['name field-optional additive: no longer required'],
    ],
    [
      'a field removed from a plain object (unknown fields are refused)',
      z.object(item),
      z.object({ name: z.string() }),
      ['quantity field-removed breaking: removed: flows that give it are refused'],
    ],
    [
      'a field removed from an object that takes unlisted fields',
      z.looseObject(item),
      z.looseObject({ name: z.string() }),
      ['quantity field-removed possibly-breaking: removed from the listed fields'],
    ],
    [
      'a field renamed',
      z.object({ email: z.string() }),
      z.object({ requesterEmail: z.string() }),
      [
        'email field-removed breaking: removed: flows that give it are refused',
        'requesterEmail field-added breaking: new required field: flows that do not give it are refused',
      ],
    ],
    [
      'a type narrowed: number to integer',
      z.object({ n: z.number() }),
      z.object({ n: z.number().int() }),
      [
        'n type breaking: no longer accepts numbers other than integers',
        'n bounds breaking: minimum none → -9007199254740991',
        'n bounds breaking: maximum none → 9007199254740991',
      ],
    ],
    [
      'a type widened: string to string or number, and null',
      z.object({ id: z.string() }),
      z.object({ id: z.union([z.string(), z.number()]).nullable() }),
      ['id type additive: now also accepts number or null'],
    ],
    [
      'a type changed',
      z.object({ id: z.string().min(1) }),
      z.object({ id: z.number() }),
      ['id type breaking: type changed from string to number'],
    ],
    [
      'enum values removed and added',
      z.object({ priority: z.enum(['low', 'high']) }),
      z.object({ priority: z.enum(['high', 'urgent']) }),
      [
        'priority values breaking: no longer accepts "low"',
        'priority values additive: now also accepts "urgent"',
      ],
    ],
    [
      'a string narrowed to an enum, and a literal widened to a string',
      z.object({ a: z.string(), b: z.literal('x') }),
      z.object({ a: z.enum(['x', 'y']), b: z.string() }),
      ['a values breaking: now limited to "x", "y"', 'b values additive: no longer limited to "x"'],
    ],
    [
      'bounds raised and lowered',
      z.object({ name: z.string().min(1).max(100), qty: z.number().min(0) }),
      z.object({ name: z.string().min(3).max(200), qty: z.number().positive() }),
      [
        'name bounds breaking: minLength 1 → 3',
        'name bounds additive: maxLength 100 → 200',
        'qty bounds breaking: minimum 0 → > 0',
      ],
    ],
    [
      'a format added, a format removed, a pattern changed',
      z.object({ a: z.string(), b: z.url(), c: z.string().regex(/^a/) }),
      z.object({ a: z.url(), b: z.string(), c: z.string().regex(/^b/) }),
      [
        'a constraint breaking: format "uri" added',
        'b constraint additive: format "uri" removed',
        'c constraint breaking: pattern changed from "^a" to "^b"',
      ],
    ],
    [
      'a default changed, and one added',
      z.object({ currency: z.string().default('usd'), mode: z.string().optional() }),
      z.object({ currency: z.string().default('eur'), mode: z.string().default('live') }),
      [
        'currency default possibly-breaking: default changed from "usd" to "eur"',
        'mode default additive: default "live" added',
      ],
    ],
    [
      'array items narrowed',
      z.object({ tags: z.array(z.string()) }),
      z.object({ tags: z.array(z.string().min(1)).max(10) }),
      ['tags bounds breaking: maxItems none → 10', 'tags/[] bounds breaking: minLength none → 1'],
    ],
    [
      'a nested field added as required',
      z.object({ customer: z.object({ id: z.string() }) }),
      z.object({ customer: z.object({ id: z.string(), email: z.email() }) }),
      ['customer/email field-added breaking: new required field: flows that do not give it are refused'],
    ],
    [
      'the values of a map narrowed',
      z.object({ metadata: z.record(z.string(), z.string()) }),
      z.object({ metadata: z.record(z.string().max(40), z.string().max(500)) }),
      [
        'metadata/* bounds breaking: maxLength none → 500',
        'metadata/(key) bounds breaking: maxLength none → 40',
      ],
    ],
    ['a plain object made strict (both refuse unlisted fields)', z.object(item), z.strictObject(item), []],
    [
      'unlisted fields now accepted',
      z.strictObject(item),
      z.looseObject(item),
      ['* extra-fields additive: unlisted fields now accepted'],
    ],
    [
      'unlisted fields now refused',
      z.looseObject(item),
      z.strictObject(item),
      ['* extra-fields breaking: unlisted fields now refused'],
    ],
    [
      'a tuple slot changed',
      z.object({ at: z.tuple([z.number(), z.number()]) }),
      z.object({ at: z.tuple([z.number(), z.string()]) }),
      ['at/[1] type breaking: type changed from number to string'],
    ],
    [
      'a field that took nothing now takes something',
      z.object({ a: z.never().optional() }),
      z.object({ a: z.string().optional() }),
      ['a type additive: now allowed (no value was before)'],
    ],
    [
      'a construct the comparison does not classify',
      { type: 'object', allOf: [{ required: ['a'] }] },
      { type: 'object', allOf: [{ required: ['b'] }] },
      ['. unclassified possibly-breaking: allOf changed; its effect on callers is not classified'],
    ],
  ])('%s', (_case, before, after, expected) => {
    expect(changes(before, after, 'accepts')).toEqual(expected);
  });

  it('pairs the branches of a discriminated union by their tag', () => {
    const card = z.object({ kind: z.literal('card'), number: z.string() });
    const bank = z.object({ kind: z.literal('bank'), iban: z.string() });
    const wallet = z.object({ kind: z.literal('wallet'), id: z.string() });
    const before = z.object({ pay: z.discriminatedUnion('kind', [card, bank]) });
    const after = z.object({
      pay: z.discriminatedUnion('kind', [card.extend({ number: z.string().length(16) }), wallet]),
    });
    expect(changes(before, after, 'accepts')).toEqual([
      'pay/(object kind="card")/number bounds breaking: minLength none → 16',
      'pay/(object kind="card")/number bounds breaking: maxLength none → 16',
      'pay/(object kind="bank") union breaking: no longer accepts object kind="bank"',
      'pay/(object kind="wallet") union additive: now also accepts object kind="wallet"',
    ]);
  });

  it('compares a recursive schema once per pair of definitions, and finds a change deep in it', () => {
    const tree = (leaf: z.ZodType) => {
      const node: z.ZodType = z.lazy(() => z.object({ value: leaf, children: z.array(node) }));
      return z.object({ root: node });
    };
    expect(changes(tree(z.string()), tree(z.string()), 'accepts')).toEqual([]);
    expect(changes(tree(z.string()), tree(z.string().min(1)), 'accepts')).toEqual([
      'root/value bounds breaking: minLength none → 1',
    ]);
  });
});

describe('compareSchemas: what a connector returns (output)', () => {
  it.each<[string, z.ZodType, z.ZodType, string[]]>([
    ['nothing changed', z.object(item), z.object(item), []],
    [
      'a field removed',
      z.object(item),
      z.object({ name: z.string() }),
      ['quantity field-removed breaking: removed: steps that read it break'],
    ],
    [
      'a field added',
      z.object(item),
      z.object({ ...item, url: z.url() }),
      ['url field-added additive: new field'],
    ],
    [
      'a field made optional',
      z.object(item),
      z.object({ ...item, name: z.string().optional() }),
      ['name field-optional breaking: may now be missing'],
    ],
    [
      'a field made always present',
      z.object({ ...item, url: z.string().optional() }),
      z.object({ ...item, url: z.string() }),
      ['url field-required additive: now always present'],
    ],
    [
      'a type changed',
      z.object({ id: z.number() }),
      z.object({ id: z.string() }),
      ['id type breaking: type changed from number to string'],
    ],
    [
      'a field that may now be null',
      z.object({ id: z.string() }),
      z.object({ id: z.string().nullable() }),
      ['id type breaking: may now be null'],
    ],
    [
      'a field that is no longer null',
      z.object({ id: z.string().nullable() }),
      z.object({ id: z.string() }),
      ['id type additive: no longer returns null'],
    ],
    [
      'a status with a new value',
      z.object({ status: z.enum(['paid', 'failed']) }),
      z.object({ status: z.enum(['paid', 'failed', 'pending']) }),
      ['status values breaking: may now be "pending"'],
    ],
    [
      'a status that lost a value',
      z.object({ status: z.enum(['paid', 'failed']) }),
      z.object({ status: z.enum(['paid']) }),
      ['status values additive: no longer returns "failed"'],
    ],
    [
      'a format no longer promised',
      z.object({ url: z.url() }),
      z.object({ url: z.string() }),
      ['url constraint breaking: format "uri" removed'],
    ],
    [
      'a union that may return a new branch',
      z.object({ result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), id: z.string() })]) }),
      z.object({
        result: z.discriminatedUnion('ok', [
          z.object({ ok: z.literal(true), id: z.string() }),
          z.object({ ok: z.literal(false), reason: z.string() }),
        ]),
      }),
      ['result/(object ok=false) union breaking: may now be object ok=false'],
    ],
    [
      'a default in the output (zod lists it) is no change of its own',
      z.object({ currency: z.string().default('usd') }),
      z.object({ currency: z.string().default('eur') }),
      [],
    ],
  ])('%s', (_case, before, after, expected) => {
    expect(changes(before, after, 'returns')).toEqual(expected);
  });
});
