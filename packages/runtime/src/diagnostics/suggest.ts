import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word`, when it is close enough to be a typo:
 * one edit for words up to 3 characters, two up to 5, a third of the word
 * beyond. Case is ignored for the distance, so `foreach` finds `forEach`.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 3 ? 1 : word.length <= 5 ? 2 : Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A word that shares nothing with the candidate ("x" and "a") is no typo of it.
  return bestDistance <= limit && bestDistance < word.length ? best : undefined;
}

/** `; did you mean "x"?` for a close candidate, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = suggest(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

/** `"a", "b" and "c"`, for messages. */
export function quoteList(values: Iterable<string>, conjunction = 'and'): string {
  const quoted = [...values].map((v) => `"${v}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}

/** What a value is, for messages: `the number 5`, `an object`, `the string "abc"`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value, 40))}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  return 'an object';
}

/** Cuts `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
