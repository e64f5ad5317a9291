import { RE2JS } from 're2js';

/**
 * The regular expressions of `{{ }}` expressions (`/…/i` literals, used by
 * `$match`, `$replace`, `$split`, `$contains`) run on RE2 (the `re2js` port),
 * whose matching time is linear in the input. A backtracking engine such as
 * V8's can take seconds on 30 bytes for a pattern like `/(a+)+b/`, and no
 * timeout can interrupt it; RE2 refuses the few features that need
 * backtracking (backreferences, lookahead) instead, when the flow loads.
 */

const compiled = new Map<string, RE2JS>();
const CACHE_LIMIT = 1_000;

/** Compiles a JavaScript regular expression for RE2. Throws when RE2 does not support it. */
export function compileLinear(regex: RegExp): RE2JS {
  const key = `${regex.flags}/${regex.source}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    let flags = 0;
    if (regex.flags.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
    if (regex.flags.includes('m')) flags |= RE2JS.MULTILINE;
    pattern = RE2JS.compile(RE2JS.translateRegExp(regex.source), flags);
    // Patterns come from flow files only (never from data), so the cache is
    // bounded by the flows; the cap is a safety net for hubs that reload often.
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(key, pattern);
  }
  return pattern;
}

/** Why RE2 refuses a pattern, or undefined when it accepts it. */
export function linearRegexProblem(regex: RegExp): string | undefined {
  try {
    compileLinear(regex);
    return undefined;
  } catch (error) {
    const detail = (error as Error).message.replace(/^error parsing regexp: /, '');
    return `the regular expression /${regex.source}/ uses a feature Baton's linear-time regex engine (RE2) does not support: ${detail}`;
  }
}

type Match = (string | undefined)[] & { index: number };

/**
 * What JSONata needs of its `RegexEngine`: a constructor taking the literal's
 * RegExp, `lastIndex`, and `exec` returning the match with its groups and
 * index, as a global RegExp's `exec` does.
 */
export class LinearRegex {
  lastIndex = 0;
  readonly #pattern: RE2JS;
  #input: string | undefined;
  #matcher: ReturnType<RE2JS['matcher']> | undefined;

  constructor(regex: RegExp) {
    this.#pattern = compileLinear(regex);
  }

  exec(input: string): Match | null {
    if (this.lastIndex > input.length) {
      this.lastIndex = 0;
      return null;
    }
    if (this.#input !== input || !this.#matcher) {
      this.#input = input;
      this.#matcher = this.#pattern.matcher(input);
    }
    const matcher = this.#matcher;
    if (!matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const match = [matcher.group(0) ?? ''] as Match;
    const groups = matcher.groupCount();
    // A group that took no part in the match is undefined, as in a RegExp's match.
    for (let i = 1; i <= groups; i++) match.push(matcher.group(i) ?? undefined);
    match.index = matcher.start();
    this.lastIndex = matcher.end();
    return match;
  }
}

/** The first regular expression in a JSONata syntax tree that RE2 refuses, and why. */
export function unsupportedRegex(ast: unknown, seen = new Set<object>()): string | undefined {
  if (ast === null || typeof ast !== 'object' || seen.has(ast)) return undefined;
  if (ast instanceof RegExp) return linearRegexProblem(ast);
  seen.add(ast);
  for (const child of Array.isArray(ast) ? ast : Object.values(ast)) {
    const problem = unsupportedRegex(child, seen);
    if (problem) return problem;
  }
  return undefined;
}
