import { describe, expect, it } from 'vitest';
import { parseJsonDocument } from './json-document';

const codes = { syntax: 'FLOW_JSON_SYNTAX', duplicateKey: 'FLOW_DUPLICATE_KEY' } as const;

describe('parseJsonDocument', () => {
  it('finds values, keys and missing paths by position', () => {
    const text = '{\n  "steps": [\n    { "id": "a",\n      "input": { "n": 1 } }\n  ]\n}\n';
    const { document, diagnostics } = parseJsonDocument(text, 'f.json', codes);
    expect(diagnostics).toEqual([]);
    expect(document.position(['steps', 0, 'input', 'n'])).toEqual({ line: 4, col: 23 });
    expect(document.position(['steps', 0, 'input'], 'key')).toEqual({ line: 4, col: 7 });
    // A path that does not exist points at its nearest ancestor.
    expect(document.position(['steps', 0, 'action'])).toEqual({ line: 3, col: 5 });
    expect(document.diagnostic('FLOW_SCHEMA', ['steps', 0, 'a/b~c'], 'bad')).toEqual({
      file: 'f.json',
      line: 3,
      col: 5,
      pointer: '/steps/0/a~1b~0c',
      code: 'FLOW_SCHEMA',
      message: '/steps/0/a~1b~0c: bad',
    });
  });

  it('counts lines the same with \\r\\n line ends and a byte-order mark', () => {
    const { document } = parseJsonDocument('\uFEFF{\r\n  "a":\r\n    true\r\n}', 'f.json', codes);
    expect(document.value).toEqual({ a: true });
    expect(document.position(['a'])).toEqual({ line: 3, col: 5 });
  });

  it('keeps "__proto__" as an own property, as JSON.parse does', () => {
    const { document } = parseJsonDocument('{ "__proto__": { "polluted": 1 } }', 'f.json', codes);
    const value = document.value as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports every syntax error with its position, and no value', () => {
    const { document, diagnostics } = parseJsonDocument('{\n  "a": [1, 2,],\n  "b": 1,\n}', 'f.json', codes);
    expect(document.value).toBeUndefined();
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      '2:13 /a/1: trailing commas are not allowed in JSON',
      '3:9 /b: trailing commas are not allowed in JSON',
    ]);
  });

  it('reports a key given twice at the second one', () => {
    const { diagnostics } = parseJsonDocument('{\n  "a": 1,\n  "a": 2\n}', 'f.json', codes);
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(['3:3 FLOW_DUPLICATE_KEY']);
  });
});
