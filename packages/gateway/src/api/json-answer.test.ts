import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CUT_MARKER, cutDeep, jsonAnswer, SHOWN_DEPTH } from './json-answer';

function nestedArrays(levels: number): unknown {
  return JSON.parse(`${'['.repeat(levels)}"bottom"${']'.repeat(levels)}`);
}

/** How many arrays nest before the first non-array, following the first element. */
function arrayDepth(value: unknown): number {
  let depth = 0;
  while (Array.isArray(value)) {
    depth++;
    value = value[0];
  }
  return depth;
}

describe('cutDeep', () => {
  it('copies a shallow value as it is, "__proto__" keys staying keys', () => {
    const value = JSON.parse('{"a":[1,{"b":null}],"__proto__":{"polluted":true},"s":"x"}');
    const copy = cutDeep(value, 3) as Record<string, unknown>;
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('replaces what is deeper than the limit with the marker', () => {
    expect(cutDeep({ a: { b: { c: 1 } }, d: [2] }, 2)).toEqual({ a: { b: CUT_MARKER }, d: [2] });
    expect(cutDeep([[]], 0)).toBe(CUT_MARKER);
    expect(cutDeep('scalar', 0)).toBe('scalar');
    const cut = cutDeep(nestedArrays(50_000), 10);
    expect(arrayDepth(cut)).toBe(10);
    expect(JSON.stringify(cut)).toBe(`${'['.repeat(10)}"${CUT_MARKER}"${']'.repeat(10)}`);
  });
});

describe('jsonAnswer', () => {
  const app = new Hono();
  const values: Record<string, unknown> = { shallow: { a: [1, 2] }, deep: { data: nestedArrays(20_000) } };
  app.get('/:name', (c) => jsonAnswer(c, values[c.req.param('name')]));

  it('answers a value as c.json does', async () => {
    const res = await app.request('/shallow');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ a: [1, 2] });
  });

  it('answers a value too deep for JSON.stringify, cut at the shown depth', async () => {
    expect(() => JSON.stringify(values.deep)).toThrow(RangeError);
    const res = await app.request('/deep');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown };
    // The outer object is the first level.
    expect(arrayDepth(body.data)).toBe(SHOWN_DEPTH - 1);
    let bottom: unknown = body.data;
    while (Array.isArray(bottom)) bottom = bottom[0];
    expect(bottom).toBe(CUT_MARKER);
  });
});
