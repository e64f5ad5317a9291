import { describe, expect, it } from 'vitest';
import { bucketOf, DURATION_BOUNDS_MS, HISTOGRAM_SIZE, percentile } from './histogram';

/** A histogram of `durations`, counted as the stores count them. */
function histogramOf(durations: number[]): number[] {
  const counts = new Array<number>(HISTOGRAM_SIZE).fill(0);
  for (const ms of durations) counts[bucketOf(ms)]! += 1;
  return counts;
}

/** The nearest-rank percentile of the durations themselves. */
function exact(durations: number[], q: number): number {
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('duration histograms', () => {
  it('counts a duration in the first bucket whose bound holds it, and past the last bound in the last', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(10)).toBe(0);
    expect(bucketOf(11)).toBe(1);
    expect(bucketOf(1_000)).toBe(DURATION_BOUNDS_MS.indexOf(1_000));
    expect(bucketOf(1_001)).toBe(DURATION_BOUNDS_MS.indexOf(2_500));
    expect(bucketOf(8 * 86_400_000)).toBe(HISTOGRAM_SIZE - 1);
  });

  it('estimates a percentile inside the bucket that holds the true one', () => {
    const durations = [3, 40, 41, 120, 130, 140, 700, 900, 4_000, 61_000, 61_500];
    const counts = histogramOf(durations);
    for (const q of [0.5, 0.95, 0.99, 0.01]) {
      const estimate = percentile(counts, q)!;
      const truth = exact(durations, q);
      expect(truth).toBeGreaterThan(estimate.fromMs === 0 ? -1 : estimate.fromMs);
      expect(truth).toBeLessThanOrEqual(estimate.toMs!);
      expect(estimate.ms).toBeGreaterThanOrEqual(estimate.fromMs);
      expect(estimate.ms).toBeLessThanOrEqual(estimate.toMs!);
    }
    // The 6th of 11 (130 ms) is the 3rd of the 3 in (100, 250]: interpolated to the bucket's top.
    expect(percentile(counts, 0.5)).toEqual({ ms: 250, fromMs: 100, toMs: 250 });
  });

  it('answers the lower edge of the last bucket, which has no upper one, and nothing for no durations', () => {
    const week = DURATION_BOUNDS_MS.at(-1)!;
    expect(percentile(histogramOf([week + 1, week + 2]), 0.5)).toEqual({
      ms: week,
      fromMs: week,
      toMs: null,
    });
    expect(percentile(histogramOf([]), 0.5)).toBeUndefined();
  });
});
