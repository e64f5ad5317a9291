/**
 * The longest pause a provider's headers can ask for: a reset a year away
 * is a provider's bug or a misread header, and one answer must not stop an
 * instance for longer than a day.
 */
export const MAX_PAUSE_MS = 24 * 60 * 60 * 1000;

/** What a provider's rate-limit headers say about the current window. */
export interface RateLimitState {
  /** Which fields said it: `x-ratelimit` for `X-RateLimit-*`, `ratelimit` for the IETF `RateLimit` fields. */
  source: 'x-ratelimit' | 'ratelimit';
  /** Requests left in the window. */
  remaining?: number;
  /** Requests allowed per window, when given. */
  limit?: number;
  /** Milliseconds until the window resets, at most `MAX_PAUSE_MS`. */
  resetMs?: number;
}

/** Response headers: a plain object (any case, values as axios or Node give them) or a Fetch `Headers`. */
export type HeaderSource = Readonly<Record<string, unknown>> | { get(name: string): unknown };

/**
 * Reads the rate-limit headers of an answer (2xx included). Understands
 * `X-RateLimit-Remaining` / `-Limit` / `-Reset` (also spelt `X-Rate-Limit-*`;
 * a reset is seconds from now, epoch seconds above 1e9 or epoch
 * milliseconds above 1e12; `X-RateLimit-Reset-After` is seconds from now),
 * the IETF draft fields `RateLimit-Remaining` / `-Limit` / `-Reset`, and the
 * structured `RateLimit` field in both its forms, `limit=100, remaining=0,
 * reset=5` and `"default";r=0;t=5` (one item per policy).
 *
 * Garbage is ignored, never thrown; a reset beyond 24 hours counts as 24
 * hours. When several families are present, the one saying the budget is
 * spent (with the longest reset) wins, else the IETF fields.
 *
 * @returns undefined when no header gives a usable number
 */
export function parseRateLimitHeaders(headers: HeaderSource, now = Date.now()): RateLimitState | undefined {
  const read = headerReader(headers);
  const states = [structuredField(read('ratelimit')), ietfFields(read, now), xFields(read, now)].filter(
    (state): state is RateLimitState => state !== undefined,
  );
  const spent = states.filter((state) => state.remaining === 0);
  if (spent.length > 0) {
    return spent.reduce((longest, state) =>
      (state.resetMs ?? 0) > (longest.resetMs ?? 0) ? state : longest,
    );
  }
  return states[0];
}

type Reader = (name: string) => string | undefined;

/** A case-insensitive reader of the first value of a header. */
function headerReader(headers: HeaderSource): Reader {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const fetchLike = headers as { get(name: string): unknown };
    return (name) => {
      try {
        return text(fetchLike.get(name));
      } catch {
        return undefined;
      }
    };
  }
  const lower = new Map<string, unknown>();
  for (const [key, value] of Object.entries(headers)) lower.set(key.toLowerCase(), value);
  return (name) => text(lower.get(name));
}

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? value : undefined;
}

function xFields(read: Reader, now: number): RateLimitState | undefined {
  const field = (suffix: string) => read(`x-ratelimit-${suffix}`) ?? read(`x-rate-limit-${suffix}`);
  const resetAfter = seconds(firstOfList(field('reset-after')));
  const reset = resetAfter !== undefined ? capMs(resetAfter * 1000) : resetFromNow(field('reset'), now);
  return state('x-ratelimit', count(field('remaining')), count(field('limit')), reset);
}

function ietfFields(read: Reader, now: number): RateLimitState | undefined {
  return state(
    'ratelimit',
    count(read('ratelimit-remaining')),
    count(read('ratelimit-limit')),
    resetFromNow(read('ratelimit-reset'), now),
  );
}

/**
 * The structured `RateLimit` field: a dictionary (`limit=100, remaining=0,
 * reset=5`, draft 7) or a list of policies (`"burst";r=0;t=5, "day";r=90;t=3600`,
 * draft 8 and later). The most constrained policy speaks for the field.
 */
function structuredField(value: string | undefined): RateLimitState | undefined {
  if (value === undefined || value.length > 4096) return undefined;
  const members = splitOutsideQuotes(value, ',');
  const dictionary = new Map<string, string>();
  const policies: Array<{ remaining: number | undefined; resetMs: number | undefined }> = [];
  for (const member of members) {
    const parts = splitOutsideQuotes(member, ';');
    const head = parts[0] ?? '';
    const pair = /^([a-z-]+)=(.*)$/i.exec(head);
    if (pair && parts.length === 1) {
      dictionary.set(pair[1]!.toLowerCase(), pair[2]!.trim());
      continue;
    }
    const params = new Map<string, string>();
    // `"default";r=0;t=5` names its policy first; a bare `r=0;t=5` does not.
    for (const part of pair ? parts : parts.slice(1)) {
      const param = /^([a-z]+)=(.*)$/i.exec(part);
      if (param) params.set(param[1]!.toLowerCase(), param[2]!.trim());
    }
    const remaining = count(params.get('r'));
    const reset = seconds(params.get('t'));
    if (remaining !== undefined || reset !== undefined) {
      policies.push({ remaining, resetMs: reset === undefined ? undefined : capMs(reset * 1000) });
    }
  }
  if (policies.length > 0) {
    const spent = policies.filter((p) => p.remaining === 0);
    const pick = spent.length
      ? spent.reduce((a, b) => ((b.resetMs ?? 0) > (a.resetMs ?? 0) ? b : a))
      : policies.reduce((a, b) => ((b.remaining ?? Infinity) < (a.remaining ?? Infinity) ? b : a));
    return state('ratelimit', pick.remaining, undefined, pick.resetMs);
  }
  const reset = seconds(dictionary.get('reset'));
  return state(
    'ratelimit',
    count(dictionary.get('remaining')),
    count(dictionary.get('limit')),
    reset === undefined ? undefined : capMs(reset * 1000),
  );
}

function state(
  source: RateLimitState['source'],
  remaining: number | undefined,
  limit: number | undefined,
  resetMs: number | undefined,
): RateLimitState | undefined {
  if (remaining === undefined && limit === undefined && resetMs === undefined) return undefined;
  const out: RateLimitState = { source };
  if (remaining !== undefined) out.remaining = remaining;
  if (limit !== undefined) out.limit = limit;
  if (resetMs !== undefined) out.resetMs = resetMs;
  return out;
}

/**
 * A reset as providers write it: seconds from now, epoch seconds (above
 * 1e9: no window lasts 30 years), epoch milliseconds (above 1e12), or a date.
 */
function resetFromNow(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  // Only the two date forms seen in the wild: Date.parse alone reads "1" as the year 2001.
  const whole = value.trim();
  if (
    /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(whole) ||
    /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(whole)
  ) {
    const date = Date.parse(whole);
    return Number.isNaN(date) ? undefined : capMs(date - now);
  }
  const number = seconds(firstOfList(value));
  if (number === undefined) return undefined;
  if (number > 1e12) return capMs(number - now);
  if (number > 1e9) return capMs(number * 1000 - now);
  return capMs(number * 1000);
}

/** The first member of a header Node joined from repeated lines (`0, 0`). */
function firstOfList(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = value.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/** A non-negative decimal number of seconds, or undefined. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,15}(\.\d{1,6})?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** A non-negative whole count, or undefined. */
function count(value: string | undefined): number | undefined {
  const raw = firstOfList(value);
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

function capMs(ms: number): number {
  return Math.min(MAX_PAUSE_MS, Math.max(0, Math.round(ms)));
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '"' && value[i - 1] !== '\\') quoted = !quoted;
    if (char === separator && !quoted) {
      out.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  out.push(current.trim());
  return out.filter((part) => part !== '');
}
