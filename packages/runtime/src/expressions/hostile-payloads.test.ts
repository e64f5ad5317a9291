import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { toPlainData } from './plain-data';
import { compileTemplate, ExpressionError, type ExpressionScope } from './template';

/**
 * A signed webhook's data reaches expressions written in good faith. Each
 * case here once made the process allocate gigabytes or block its event
 * loop for seconds; now each ends in a limit error, at once, and the
 * hardened built-ins still answer what JSONata's own answer for ordinary
 * input. A regression shows as a crash or a test timeout, not a slow pass.
 */

const MB = 1_000_000;

function scope(data: unknown): ExpressionScope {
  return { event: { id: 'evt_1', data }, steps: {}, run: {} };
}

async function evaluate(expression: string, data: unknown = {}): Promise<unknown> {
  return compileTemplate(`{{ ${expression} }}`).evaluate(scope(data));
}

async function limitError(expression: string, data: unknown = {}): Promise<ExpressionError> {
  try {
    await evaluate(expression, data);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe('EXPRESSION_LIMIT');
    return error as ExpressionError;
  }
  throw new Error(`${expression} did not fail`);
}

describe('built-ins that could build huge values are bounded by what they would build', () => {
  const long = { fill: 'x'.repeat(MB), width: MB, s: 'y'.repeat(MB) };

  it('$pad with a long fill string and a wide width from the payload', async () => {
    const error = await limitError('$pad("a", event.data.width + 1, event.data.fill)', long);
    expect(error.message).toContain('built a string longer than 1000000 characters');
    // Within the width limit, a long fill costs only the padding it gives.
    const padded = (await evaluate('$pad("a", event.data.width, event.data.fill)', long)) as string;
    expect(padded.length).toBe(MB);
  }, 10_000);

  it('$join of many references to one long string, or with a long separator', async () => {
    await limitError('($s := event.data.s; $join([1..1000].($s)))', long);
    await limitError('$join(["a", "b", "c"], event.data.s)', long);
  }, 10_000);

  it('$replace whose replacement multiplies the string', async () => {
    await limitError('$replace(event.data.s, "y", event.data.s)', long);
    await limitError('$replace(event.data.s, /y/, "$0$0")', long);
    await limitError('$replace($substring(event.data.s, 0, 1000), /y/, function($m) { event.data.s })', long);
  }, 10_000);

  it('$string and & of a value made of shared references', async () => {
    await limitError('($s := event.data.s; $string([1..100].($s)))', long);
    await limitError('($s := event.data.s; [1..100].($s) & "")', long);
    await limitError('($s := event.data.s; "" & {"a": [1..100].($s)})', long);
  }, 10_000);

  it('$string with indentation of a deep value', async () => {
    const deep = { v: JSON.parse(`${'['.repeat(200)}${'0,'.repeat(5000)}0${']'.repeat(200)}`) };
    await limitError('$string(event.data.v, true)', deep);
    expect(typeof (await evaluate('$string(event.data.v)', deep))).toBe('string');
  }, 10_000);

  it('a value doubled by references, and one nested without end', async () => {
    const doubling = '$reduce([1..40], function($acc, $i) { {"a": $acc, "b": $acc} }, event.data.s)';
    expect((await limitError(doubling, long)).message).toContain('characters as JSON (the limit)');
    const nesting = '$reduce([1..1000], function($acc, $i) { {"a": $acc} }, 0)';
    expect((await limitError(nesting)).message).toContain('nested deeper than 256 levels');
  }, 10_000);

  it('a template that joins several large results', async () => {
    const template = compileTemplate('{{ event.data.s }}-{{ event.data.s }}');
    await expect(template.evaluate(scope(long))).rejects.toMatchObject({ code: 'EXPRESSION_LIMIT' });
  });

  it('$distinct of a large array is linear', async () => {
    const items = Array.from({ length: 150_000 }, (_, i) => i % 70_000);
    expect(await evaluate('$count($distinct(event.data))', items)).toBe(70_000);
  }, 10_000);
});

describe('the hardened built-ins answer as JSONata does', () => {
  const cases = [
    '$pad("ab", 7, "xy")',
    '$pad("ab", -7, "xy")',
    '$pad("ab", 1)',
    '$pad("😀é", 6, "🎉-")',
    '$pad("a", 4)',
    '$join(["a", "b", "c"], ", ")',
    '$join([])',
    '$join(["x"])',
    '$replace("hello world", "o", "0")',
    '$replace("hello world", /o(r?)/, "[$0|$1]")',
    '$replace("a-b-c", "-", "$$", 1)',
    '$replace("abc", /b/, function($m) { $uppercase($m.match) })',
    '$replace("aaa", /a/, "$2$1")',
    '$string({"a": [1, 2.5, {"b": null}], "c": "x"})',
    '$string({"a": [1, {"b": [true]}], "c": {}}, true)',
    '$string("text")',
    '$string(1.1234567890123456789)',
    '$distinct([1, "1", 1, {"a": 1, "b": 2}, {"b": 2, "a": 1}, [1, 2], [2, 1], [1, 2], null, null, true])',
    '$distinct([{"k": "x"}, {"k": "y"}, {"k": "x"}].k)',
    '$distinct("solo")',
    '$split("a1b22c", /[0-9]+/)',
    '$match("Order 12 and 345", /([0-9])([0-9])?/)',
    '$contains("HeLLo", /l+/i)',
    '$replace("line one\\nline two", /^line/m, "L")',
    '$match("é😀x", /x/)',
  ];

  it.each(cases)('%s', async (expression) => {
    const theirs = await jsonata(expression).evaluate({});
    expect(await evaluate(expression)).toEqual(toPlainData(theirs));
  });
});

describe('regular expressions run in linear time', () => {
  it('a pattern that backtracks catastrophically answers at once', async () => {
    const data = { s: `${'a'.repeat(50_000)}!` };
    expect(await evaluate('$contains(event.data.s, /(a+)+b/)', data)).toBe(false);
    expect(await evaluate('$match(event.data.s, /^(a|aa)+$/)', data)).toBeUndefined();
    expect(await evaluate('$replace(event.data.s, /(x+x+)+y/, "z") = event.data.s', data)).toBe(true);
  }, 10_000);

  it.each([
    ['a backreference', '$match("aa", /(a)\\1/)'],
    ['a lookahead', '$contains("ab", /a(?=b)/)'],
    ['a negative lookahead', '$split("ab", /a(?!c)/)'],
  ])('%s is refused when the flow loads', (_what, expression) => {
    let error: unknown;
    try {
      compileTemplate(`{{ ${expression} }}`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe('EXPRESSION_REGEX_UNSUPPORTED');
    expect((error as ExpressionError).message).toContain('linear-time regex engine (RE2)');
  });
});
