import { z } from 'zod';

/**
 * One accepted status: a number (`404`), a class (`"2xx"`) or an inclusive
 * range (`"200-299"`).
 */
export const statusPattern = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^([1-5]xx|[1-5]\d\d-[1-5]\d\d)$/, { error: 'must be a status, "4xx" or "200-299"' }),
]);

export type StatusPattern = z.output<typeof statusPattern>;

/** What a request accepts when the step gives no `expectStatus`: any 2xx or 3xx. */
const DEFAULT_PATTERNS: readonly StatusPattern[] = ['200-399'];

/** Builds the status check for a request. */
export function statusMatcher(
  patterns: readonly StatusPattern[] = DEFAULT_PATTERNS,
): (status: number) => boolean {
  const ranges = patterns.map((pattern): [number, number] => {
    if (typeof pattern === 'number') return [pattern, pattern];
    if (pattern.endsWith('xx')) {
      const base = Number(pattern[0]) * 100;
      return [base, base + 99];
    }
    const [low, high] = pattern.split('-').map(Number) as [number, number];
    return [Math.min(low, high), Math.max(low, high)];
  });
  return (status) => ranges.some(([low, high]) => status >= low && status <= high);
}

/** Describes the patterns for messages: `201, 4xx`. */
export function describePatterns(patterns: readonly StatusPattern[] = DEFAULT_PATTERNS): string {
  return patterns.join(', ');
}
