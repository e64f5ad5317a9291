import jsonata from 'jsonata';
import { EXPRESSION_LIMITS, LimitExceeded, stringTooLong } from './limits';
import { isJsonataFunction } from './plain-data';
import { jsonSize } from './value-size';

/**
 * JSONata built-ins that can build a value far larger than their arguments
 * in one native call, where neither the evaluation timeout nor the check
 * after each step can stop them: `$pad` (width × fill), `$join` (separator ×
 * items), `$replace` (replacement × matches), `$string` (a value of shared
 * references, or its indentation) — and `$distinct`, quadratic in its input.
 * Each is replaced by one that checks the size of what it would build
 * before building it, so a hostile payload meets a limit error instead of
 * taking the process down.
 */

/** What JSONata binds `this` to when it calls a function. */
interface Focus {
  createSequence(): unknown[];
}

type Implementation = (this: Focus, ...args: unknown[]) => unknown;

/** JSONata's own implementation of a built-in, for the cases that are safe to hand back. */
function builtin(name: string): Promise<Implementation> {
  return jsonata(`$${name}`)
    .evaluate(null)
    .then((fn: { implementation: Implementation }) => fn.implementation);
}

let builtins: Promise<{ string: Implementation; replace: Implementation }> | undefined;

function originals() {
  builtins ??= Promise.all([builtin('string'), builtin('replace')]).then(([string, replace]) => ({
    string,
    replace,
  }));
  return builtins;
}

function over(length: number): boolean {
  return length > EXPRESSION_LIMITS.stringLength;
}

/** `$pad(str, width, char)`: the padding is built to its length, never width × fill. */
function pad(str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const fill = char === undefined || char.length === 0 ? ' ' : char;
  const target = Math.abs(Math.trunc(width));
  const length = codePoints(str).length;
  const padLength = target - length;
  if (padLength <= 0) return str;
  if (over(target)) throw new LimitExceeded(stringTooLong());
  const fillPoints = codePoints(fill);
  const padding =
    fillPoints.length === 1
      ? fill.repeat(padLength)
      : codePoints(fill.repeat(Math.ceil(padLength / fillPoints.length)))
          .slice(0, padLength)
          .join('');
  return width > 0 ? str + padding : padding + str;
}

/** `$join(strings, separator)`: the joined length is known before joining. */
function join(strs: string[] | undefined, separator?: string): string | undefined {
  if (strs === undefined) return undefined;
  const sep = separator ?? '';
  let total = sep.length * Math.max(0, strs.length - 1);
  for (const s of strs) total += s.length;
  if (over(total)) throw new LimitExceeded(stringTooLong());
  return strs.join(sep);
}

/** `$string(value, prettify)`: the text's length (with indentation) is known before it is made. */
async function string(this: Focus, arg: unknown, prettify?: boolean): Promise<unknown> {
  if (arg !== null && typeof arg === 'object' && !isJsonataFunction(arg)) {
    let length = jsonSize(arg);
    if (prettify) length += indentation(arg, 1, EXPRESSION_LIMITS.stringLength - length);
    if (over(length)) throw new LimitExceeded(stringTooLong());
  }
  return (await originals()).string.call(this, arg, prettify);
}

/** Characters `JSON.stringify(value, null, 2)` adds to the compact text, up to `budget`. */
function indentation(value: object, level: number, budget: number): number {
  const members = Array.isArray(value) ? value : Object.values(value);
  // Each member on a line of its own at this level, and the closing bracket a level up.
  let added =
    members.length * (2 * level + 1) + 2 * (level - 1) + 1 + (Array.isArray(value) ? 0 : members.length);
  for (const member of members) {
    if (added > budget) return added;
    if (member !== null && typeof member === 'object' && !isJsonataFunction(member))
      added += indentation(member, level + 1, budget - added);
  }
  return added;
}

type Replacer = (this: unknown, match: unknown) => unknown;
type Matcher = (str: string) => Promise<MatchResult | undefined> | MatchResult | undefined;
interface MatchResult {
  next(): Promise<MatchResult | undefined> | MatchResult | undefined;
}

/**
 * `$replace(str, pattern, replacement, limit)`: a replacement function's
 * results are counted as they come; a replacement string's result is
 * bounded before anything is built (each `$n` in it stands for at most the
 * match, and all the matches together are at most the string).
 */
async function replace(
  this: Focus,
  str: string | undefined,
  pattern: string | Matcher,
  replacement: string | Replacer,
  limit?: number,
): Promise<unknown> {
  const original = (await originals()).replace;
  if (str === undefined) return undefined;
  if (typeof replacement === 'function') {
    let built = str.length;
    const counted = async function (this: unknown, match: unknown) {
      const out = await replacement.call(this, match);
      if (typeof out === 'string') {
        built += out.length;
        if (over(built)) throw new LimitExceeded(stringTooLong());
      }
      return out;
    };
    return original.call(this, str, pattern, counted, limit);
  }
  const dollars = typeof pattern === 'string' ? 0 : replacement.split('$').length - 1;
  const grows = replacement.length + dollars;
  // At most one match per character (and one empty match at the end).
  if (over(str.length + (str.length + 1) * grows)) {
    const matches = await countMatches(str, pattern, limit);
    if (over(str.length + matches * replacement.length + dollars * str.length))
      throw new LimitExceeded(stringTooLong());
  }
  return original.call(this, str, pattern, replacement, limit);
}

async function countMatches(str: string, pattern: string | Matcher, limit?: number): Promise<number> {
  const most = limit ?? Number.POSITIVE_INFINITY;
  let count = 0;
  if (typeof pattern === 'string') {
    if (pattern === '') return 0; // JSONata refuses it with its own error
    for (
      let at = str.indexOf(pattern);
      at !== -1 && count < most;
      at = str.indexOf(pattern, at + pattern.length)
    )
      count++;
    return count;
  }
  for (let match = await pattern(str); match && count < most; match = await match.next()) count++;
  return count;
}

/** `$distinct(array)`: one pass with a set of canonical keys instead of comparing every pair. */
function distinct(this: Focus, arr: unknown): unknown {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const results = (arr as { sequence?: boolean }).sequence === true ? this.createSequence() : [];
  const seen = new Set<unknown>();
  for (const value of arr) {
    const key = canonicalKey(value);
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(value);
  }
  return results;
}

/**
 * Equal for values JSONata's deep equality calls equal: primitives by value,
 * arrays in order, objects whatever their key order; functions by identity.
 */
function canonicalKey(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || isJsonataFunction(value)) {
    return typeof value === 'string' ? JSON.stringify(value) : value;
  }
  return `\u0000${canonicalText(value)}`;
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Each replacement, with JSONata's signature for it. */
export const BOUNDED_BUILTINS = [
  { name: 'pad', implementation: pad, signature: '<s-ns?:s>' },
  { name: 'join', implementation: join, signature: '<a<s>s?:s>' },
  { name: 'string', implementation: string, signature: '<x-b?:s>' },
  { name: 'replace', implementation: replace, signature: '<s-(sf)(sf)n?:s>' },
  { name: 'distinct', implementation: distinct, signature: '<x:x>' },
] as const;
