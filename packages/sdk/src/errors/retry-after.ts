/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an
 * HTTP date. Returns milliseconds from `now`, or undefined when absent or
 * unparseable. Negative dates clamp to 0. Takes a header value as any
 * client gives it: a string, a number of seconds, or an array (its first).
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
  const value: unknown = Array.isArray(header) ? header[0] : header;
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
