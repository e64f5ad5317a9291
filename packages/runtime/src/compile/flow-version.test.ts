import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/load-flow';
import { canonicalJson, flowVersionOf } from './flow-version';

describe('flowVersionOf', () => {
  const text =
    '{ "id": "orders", "steps": [ { "id": "a", "action": "crm.create", "input": { "x": 1, "b": [2, 3] } } ] }';

  it('is 12 hex characters, the same for the same flow', () => {
    const version = flowVersionOf(JSON.parse(text));
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(flowVersionOf(JSON.parse(text))).toBe(version);
  });

  it('does not change with white space or key order', () => {
    const relaid =
      '{"steps":[{"input":{"b":[2,3],"x":1},"action":"crm.create","id":"a"}],\n\n  "id":"orders"}';
    expect(flowVersionOf(JSON.parse(relaid))).toBe(flowVersionOf(JSON.parse(text)));
    expect(flowVersionOf(parseFlow(relaid, 'a.json').flow)).toBe(
      flowVersionOf(parseFlow(text, 'b.json').flow),
    );
  });

  it('changes with any value, and with array order', () => {
    const base = flowVersionOf(JSON.parse(text));
    expect(flowVersionOf(JSON.parse(text.replace('"x": 1', '"x": 2')))).not.toBe(base);
    expect(flowVersionOf(JSON.parse(text.replace('[2, 3]', '[3, 2]')))).not.toBe(base);
  });

  it('writes canonical JSON that parses back to the value', () => {
    const value = { z: [1, { b: null, a: 'é"' }], a: true, skipped: undefined };
    expect(canonicalJson(value)).toBe('{"a":true,"z":[1,{"a":"é\\"","b":null}]}');
    expect(JSON.parse(canonicalJson(value))).toEqual({ a: true, z: [1, { a: 'é"', b: null }] });
  });
});
