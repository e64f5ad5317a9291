import { describe, expect, it } from 'vitest';
import { splitTemplate, templateShape, UnclosedTemplateError } from './template-text';

describe('splitTemplate', () => {
  it('splits text and expressions, keeping where each expression starts', () => {
    expect(splitTemplate('Hi {{ event.name }}, order {{ event.id }}!')).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'expression', source: ' event.name ', offset: 3 },
      { kind: 'text', text: ', order ' },
      { kind: 'expression', source: ' event.id ', offset: 27 },
      { kind: 'text', text: '!' },
    ]);
  });

  it('finds the closing braces after object constructors and strings that hold braces', () => {
    expect(splitTemplate('{{ $merge([{"a": {"b": 1}}]) }}')).toEqual([
      { kind: 'expression', source: ' $merge([{"a": {"b": 1}}]) ', offset: 0 },
    ]);
    expect(splitTemplate('{{ "}}" & \'}}\' & `}}` }} end')).toEqual([
      { kind: 'expression', source: ' "}}" & \'}}\' & `}}` ', offset: 0 },
      { kind: 'text', text: ' end' },
    ]);
    expect(splitTemplate('{{ /* }} */ 1 }}')).toEqual([
      { kind: 'expression', source: ' /* }} */ 1 ', offset: 0 },
    ]);
  });

  it('throws on a "{{" that is never closed', () => {
    expect(() => splitTemplate('Hello {{ event.name')).toThrow(UnclosedTemplateError);
    expect(() => splitTemplate('Hello {{ event.name')).toThrow('"{{" at character 7 has no matching "}}"');
    expect(() => splitTemplate('{{ "}} }}')).toThrow(UnclosedTemplateError);
  });
});

describe('templateShape', () => {
  it('tells literals, single expressions and text with expressions apart', () => {
    expect(templateShape('plain')).toBe('none');
    expect(templateShape('  {{ event.total }} ')).toBe('whole');
    expect(templateShape('{{ a }}{{ b }}')).toBe('mixed');
    expect(templateShape('total: {{ event.total }}')).toBe('mixed');
  });
});
