/**
 * The fixed buckets durations are counted in, for flow analytics. A bucket
 * counts the durations up to its bound (and above the bound before it); the
 * last one, past every bound, counts what took longer than seven days.
 * Fixed bounds let every process add its counts to the same buckets, and
 * keep a window's figures a sum of counters whatever the number of runs.
 */
export const DURATION_BOUNDS_MS: readonly number[] = Object.freeze([
  10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
  21_600_000, 86_400_000, 604_800_000,
]);

/** How many buckets a histogram has: one per bound, and the one past the last bound. */
export const HISTOGRAM_SIZE = DURATION_BOUNDS_MS.length + 1;

/** The bucket a duration falls in. */
export function bucketOf(ms: number): number {
  for (let i = 0; i < DURATION_BOUNDS_MS.length; i++) if (ms <= DURATION_BOUNDS_MS[i]!) return i;
  return DURATION_BOUNDS_MS.length;
}

/** A percentile estimated from a histogram, with the bucket the true value lies in. */
export interface PercentileEstimate {
  /** The estimate (ms): interpolated inside the bucket; the bucket's lower edge for the last bucket. */
  ms: number;
  /** The bucket's lower edge (ms, exclusive except 0). */
  fromMs: number;
  /** The bucket's upper edge (ms, inclusive); null for the bucket past seven days. */
  toMs: number | null;
}

/**
 * The `q`-th percentile (0 < q ≤ 1) of the durations counted in `counts`
 * (indexed as `bucketOf`), by nearest rank: the bucket holding the
 * ⌈q·n⌉-th smallest duration, with an estimate interpolated linearly in
 * it. Undefined when nothing was counted.
 */
export function percentile(counts: readonly number[], q: number): PercentileEstimate | undefined {
  let total = 0;
  for (const count of counts) total += count;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (count === 0 || below + count < rank) {
      below += count;
      continue;
    }
    const fromMs = i === 0 ? 0 : DURATION_BOUNDS_MS[i - 1]!;
    const toMs = i < DURATION_BOUNDS_MS.length ? DURATION_BOUNDS_MS[i]! : null;
    const ms = toMs === null ? fromMs : fromMs + ((toMs - fromMs) * (rank - below)) / count;
    return { ms: Math.round(ms), fromMs, toMs };
  }
  return undefined;
}
