import type { RetentionBound } from '../retention';

/**
 * The finished runs of one kind (succeeded, or failed and cancelled) in
 * the order they ended, dropped oldest first once there are more than the
 * bound's `runs` or they are older than its `maxAgeMs`. A head index
 * instead of shifting, compacted once most of the array is dropped ids.
 */
export class FinishedRuns {
  private ids: string[] = [];
  /** When each run ended, at its id's index: evict() reads no run record to know. */
  private ends: string[] = [];
  private head = 0;
  /** The last `now` evict() was given, and the oldest end it let stay then: one date to format per ms. */
  private lastNow = Number.NaN;
  private lastOldest = '';

  constructor(readonly bound: RetentionBound) {}

  add(id: string, endedAt: string): void {
    this.ids.push(id);
    this.ends.push(endedAt);
  }

  /** Drops from the oldest end while the bound is exceeded; `drop` removes a run. */
  evict(now: number, drop: (id: string) => void): void {
    if (now !== this.lastNow) {
      this.lastNow = now;
      this.lastOldest = new Date(now - this.bound.maxAgeMs).toISOString();
    }
    const oldestAllowed = this.lastOldest;
    while (this.head < this.ids.length) {
      const tooMany = this.ids.length - this.head > this.bound.runs;
      const tooOld = this.ends[this.head]! < oldestAllowed;
      if (!tooMany && !tooOld) break;
      drop(this.ids[this.head]!);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.ends = this.ends.slice(this.head);
      this.head = 0;
    }
  }
}
