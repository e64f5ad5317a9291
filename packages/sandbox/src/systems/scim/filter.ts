import { ScimError } from './schemas';

/** A compiled filter: true when the resource matches. */
export type ScimFilter = (resource: Record<string, unknown>) => boolean;

type Primitive = string | number | boolean | null;
type Token = { kind: 'word'; text: string } | { kind: 'value'; value: Primitive };

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);
/** Attributes compared case-sensitively (RFC 7643 `caseExact: true`); the rest ignore case. */
const CASE_EXACT = new Set(['id', 'externalid', 'members.value', 'groups.value']);

/**
 * Compiles the subset of the RFC 7644 §3.4.2.2 filter grammar that identity
 * providers send: comparisons (`eq ne co sw ew gt ge lt le pr`) joined by
 * `and` / `or` (`and` binds tighter), on attribute paths such as `userName`,
 * `name.familyName` or `emails.value`. Grouping with parentheses and `not`
 * are refused with `invalidFilter` rather than misread.
 */
export function parseFilter(text: string): ScimFilter {
  const tokens = tokenize(text);
  let position = 0;
  const peekWord = () => {
    const token = tokens[position];
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };

  const comparison = (): ScimFilter => {
    const attr = tokens[position++];
    const op = tokens[position++];
    if (attr?.kind !== 'word' || op?.kind !== 'word' || !OPERATORS.has(op.text.toLowerCase())) {
      throw invalid(`expected "<attribute> <operator> <value>" in "${text}"`);
    }
    const path = attr.text.toLowerCase();
    const operator = op.text.toLowerCase();
    if (operator === 'pr') return (resource) => valuesAt(resource, path).some((v) => v !== null && v !== '');
    const operand = tokens[position++];
    if (operand?.kind !== 'value') throw invalid(`"${attr.text} ${op.text}" needs a value in "${text}"`);
    return (resource) => valuesAt(resource, path).some((v) => compare(v, operator, operand.value, path));
  };

  const conjunction = (): ScimFilter => {
    const parts = [comparison()];
    while (peekWord() === 'and') {
      position++;
      parts.push(comparison());
    }
    return (resource) => parts.every((p) => p(resource));
  };

  const alternatives = [conjunction()];
  while (peekWord() === 'or') {
    position++;
    alternatives.push(conjunction());
  }
  if (position < tokens.length) throw invalid(`unexpected text after position ${position} in "${text}"`);
  return (resource) => alternatives.some((a) => a(resource));
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === ' ' || char === '\t') {
      i++;
    } else if (char === '"') {
      // A SCIM string is a JSON string: find its end, honouring escapes.
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) throw invalid(`unterminated string in "${text}"`);
      tokens.push({ kind: 'value', value: JSON.parse(text.slice(i, end + 1)) as string });
      i = end + 1;
    } else if (char === '(' || char === ')' || char === '[' || char === ']') {
      throw invalid(`grouping with "${char}" is not supported by the sandbox`);
    } else {
      let end = i;
      while (end < text.length && !' \t"()[]'.includes(text[end]!)) end++;
      const word = text.slice(i, end);
      const lower = word.toLowerCase();
      if (lower === 'not') throw invalid('"not" is not supported by the sandbox');
      if (lower === 'true' || lower === 'false') tokens.push({ kind: 'value', value: lower === 'true' });
      else if (lower === 'null') tokens.push({ kind: 'value', value: null });
      else if (/^-?\d+(\.\d+)?$/.test(word) && tokens.at(-1)?.kind === 'word') {
        tokens.push({ kind: 'value', value: Number(word) });
      } else tokens.push({ kind: 'word', text: word });
      i = end;
    }
  }
  return tokens;
}

/** Every value at a path; multi-valued attributes without a sub-attribute compare their `value`. */
function valuesAt(resource: Record<string, unknown>, path: string): Primitive[] {
  let current: unknown[] = [resource];
  for (const segment of path.split('.')) {
    current = current.flatMap((node) => {
      if (typeof node !== 'object' || node === null) return [];
      const key = Object.keys(node).find((k) => k.toLowerCase() === segment);
      const value = key === undefined ? undefined : (node as Record<string, unknown>)[key];
      return Array.isArray(value) ? value : value === undefined ? [] : [value];
    });
  }
  return current.map((v) =>
    typeof v === 'object' && v !== null
      ? (((v as { value?: Primitive }).value ?? null) as Primitive)
      : (v as Primitive),
  );
}

function compare(actual: Primitive, operator: string, expected: Primitive, path: string): boolean {
  const fold = (v: Primitive) => (typeof v === 'string' && !CASE_EXACT.has(path) ? v.toLowerCase() : v);
  const a = fold(actual);
  const b = fold(expected);
  switch (operator) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'co':
      return typeof a === 'string' && typeof b === 'string' && a.includes(b);
    case 'sw':
      return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'ew':
      return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
    default: {
      if (a === null || b === null || typeof a !== typeof b) return false;
      const order = a < b ? -1 : a > b ? 1 : 0;
      return operator === 'gt'
        ? order > 0
        : operator === 'ge'
          ? order >= 0
          : operator === 'lt'
            ? order < 0
            : order <= 0;
    }
  }
}

function invalid(message: string): ScimError {
  return new ScimError(400, `Invalid filter: ${message}`, 'invalidFilter');
}
