import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors';
import { parseBody } from './parse-body';

const json = 'application/json';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('parseBody', () => {
  it('parses JSON and keeps its text, which parses back to the same value', () => {
    const text = '{ "type": "order.created", "lines": [1, 2], "note": "caf\\u00e9 ☕" }';
    const parsed = parseBody(Buffer.from(text), 'application/json; charset=utf-8');
    expect(parsed.value).toEqual({ type: 'order.created', lines: [1, 2], note: 'café ☕' });
    expect(parsed.json).toBe(text);
    expect(JSON.parse(parsed.json!)).toEqual(parsed.value);
  });

  it('takes any +json type and drops a byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    expect(parseBody(body, 'application/cloudevents+json')).toEqual({ value: { a: 1 }, json: '{"a":1}' });
  });

  it('keeps __proto__ a plain key', () => {
    const { value } = parseBody(Buffer.from('{"__proto__":{"polluted":true}}'), json);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value as object, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8, an empty body and broken JSON with BODY_INVALID', () => {
    expect(failure(() => parseBody(Buffer.from([0x7b, 0xff, 0x7d]), json))).toMatchObject({
      code: 'BODY_INVALID',
      message: 'the body is not valid UTF-8',
    });
    expect(failure(() => parseBody(Buffer.from('  \n'), json))).toMatchObject({
      code: 'BODY_INVALID',
      message: 'the body is empty; expected JSON',
    });
    expect(failure(() => parseBody(Buffer.from('{"a":'), json)).message).toMatch(
      /^the body is not valid JSON: /,
    );
  });

  it('parses a form, unwrapping a GitHub-style JSON payload', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(parseBody(Buffer.from('a=1&b=2&b=3'), form)).toEqual({ value: { a: '1', b: ['2', '3'] } });
    const payload = parseBody(Buffer.from(`payload=${encodeURIComponent('{"action":"opened"}')}`), form);
    expect(payload).toEqual({ value: { action: 'opened' }, json: '{"action":"opened"}' });
  });

  it('refuses JSON nested deeper than the limit (default 64 levels) with BODY_TOO_DEEP, forms too', () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    expect(parseBody(Buffer.from(nested(64)), json).json).toBe(nested(64));
    expect(failure(() => parseBody(Buffer.from(nested(65)), json))).toMatchObject({
      code: 'BODY_TOO_DEEP',
      message: 'the body nests arrays and objects more than 64 levels deep (the limit)',
    });
    // Brackets inside strings are text, not nesting.
    expect(parseBody(Buffer.from(`{"a":"${'['.repeat(500)}"}`), json).value).toEqual({ a: '['.repeat(500) });
    const form = 'application/x-www-form-urlencoded';
    const payload = (levels: number) => Buffer.from(`payload=${encodeURIComponent(nested(levels))}`);
    expect(parseBody(payload(64), form).json).toBe(nested(64));
    expect(failure(() => parseBody(payload(65), form)).code).toBe('BODY_TOO_DEEP');
    expect(failure(() => parseBody(Buffer.from(nested(5000)), json)).code).toBe('BODY_TOO_DEEP');
  });

  it('takes another depth limit', () => {
    const deep = Buffer.from('{"a":{"b":{"c":{}}}}');
    expect(parseBody(deep, json, { maxDepth: 4 }).value).toEqual({ a: { b: { c: {} } } });
    expect(failure(() => parseBody(deep, json, { maxDepth: 3 })).message).toBe(
      'the body nests arrays and objects more than 3 levels deep (the limit)',
    );
  });

  it('answers 415 for other content types', () => {
    expect(failure(() => parseBody(Buffer.from('x'), 'text/plain')).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(failure(() => parseBody(Buffer.from('x'), null)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
