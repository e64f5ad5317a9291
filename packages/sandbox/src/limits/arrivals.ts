/**
 * The times requests were accepted, oldest first. A sliding window is
 * counted from it, and the statistics tests assert against are computed from
 * it, so the two can never disagree.
 */
export class ArrivalLog {
  private times: number[] = [];

  /** @param capacity how many of the newest arrivals are kept @default 10 000 */
  constructor(readonly capacity = 10_000) {}

  /**
   * Records an arrival at `at` (epoch ms). A clock that steps back is read as
   * standing still, so the log stays sorted.
   */
  record(at: number): void {
    const last = this.times[this.times.length - 1];
    this.times.push(last !== undefined && at < last ? last : at);
    // Trim in batches: an array shift per request would copy the log each time.
    if (this.times.length >= this.capacity * 2) this.times = this.times.slice(-this.capacity);
  }

  /** How many arrived in the half-open window `(now - per, now]`. */
  countWithin(now: number, per: number): number {
    return this.times.length - firstAfter(this.times, now - per);
  }

  /** The `n`-th newest arrival (1 is the newest), if the log holds that many. */
  newest(n: number): number | undefined {
    return this.times[this.times.length - n];
  }

  /** The newest arrivals, at most `capacity` of them, oldest first. */
  list(): number[] {
    return this.times.slice(-this.capacity);
  }

  clear(): void {
    this.times = [];
  }
}

/**
 * The largest number of `times` (sorted, epoch ms) inside any half-open
 * window `[t, t + per)`: two arrivals exactly `per` apart never share one.
 */
export function maxInAnyWindow(times: readonly number[], per: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= per) start += 1;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** Index of the first time greater than `bound` in sorted `times`. */
function firstAfter(times: readonly number[], bound: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! > bound) high = mid;
    else low = mid + 1;
  }
  return low;
}
