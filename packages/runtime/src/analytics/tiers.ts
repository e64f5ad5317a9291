/**
 * The time buckets flow analytics are kept in. Each ended run is counted
 * in its minute and in its hour; minutes are kept two hours (for windows up
 * to that, such as the last hour), hours eight days (the last day, the last
 * week). A window is read as whole buckets of one size: O(buckets), never
 * O(runs).
 */
export type AnalyticsTierName = 'minute' | 'hour';

export interface AnalyticsTier {
  name: AnalyticsTierName;
  /** Bucket length (ms). */
  sizeMs: number;
  /** How long a bucket is kept after it ends (ms); then it expires. */
  keepMs: number;
}

const HOUR_MS = 3_600_000;

export const ANALYTICS_TIERS: Readonly<Record<AnalyticsTierName, AnalyticsTier>> = Object.freeze({
  minute: { name: 'minute', sizeMs: 60_000, keepMs: 2 * HOUR_MS },
  hour: { name: 'hour', sizeMs: HOUR_MS, keepMs: 8 * 24 * HOUR_MS },
});

/** The longest window analytics answer for, and how far back it may start. */
export const MAX_ANALYTICS_WINDOW_MS = ANALYTICS_TIERS.hour.keepMs;

/** Whole buckets of one tier: from the start of the first to the end of the last (ms). */
export interface AnalyticsSpan {
  tier: AnalyticsTierName;
  /** The first bucket's start. */
  from: number;
  /** The last bucket's end (exclusive). */
  to: number;
}

/** The start of the bucket holding `at`. */
export function bucketStart(tier: AnalyticsTierName, at: number): number {
  const { sizeMs } = ANALYTICS_TIERS[tier];
  return Math.floor(at / sizeMs) * sizeMs;
}

/** When the bucket starting at `start` expires (epoch ms). */
export function expiryOf(tier: AnalyticsTierName, start: number): number {
  const { sizeMs, keepMs } = ANALYTICS_TIERS[tier];
  return start + sizeMs + keepMs;
}

/** The start of every bucket of a span, oldest first. */
export function bucketStarts(span: AnalyticsSpan): number[] {
  const { sizeMs } = ANALYTICS_TIERS[span.tier];
  const starts: number[] = [];
  for (let start = span.from; start < span.to; start += sizeMs) starts.push(start);
  return starts;
}

/**
 * The buckets that cover `since` to `until` (ms; `until` exclusive) as
 * read at `now`: minutes when the window is at most two hours long and
 * starts within the last two hours, else hours. A string saying why when
 * no kept buckets can answer: `until` not after `since`, or `since` more
 * than eight days before `now`.
 */
export function spanOf(since: number, until: number, now: number): AnalyticsSpan | string {
  if (!(until > since)) return 'until must be after since';
  if (since < now - MAX_ANALYTICS_WINDOW_MS) {
    return 'analytics are kept 8 days: since must be within the last 8 days';
  }
  const minute = ANALYTICS_TIERS.minute;
  const tier: AnalyticsTierName =
    until - since <= minute.keepMs && since >= now - minute.keepMs ? 'minute' : 'hour';
  const { sizeMs } = ANALYTICS_TIERS[tier];
  return { tier, from: bucketStart(tier, since), to: bucketStart(tier, until - 1) + sizeMs };
}
