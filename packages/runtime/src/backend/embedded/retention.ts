import type { RetentionBound } from '../retention';

/**
 * The finished runs of one kind (succeeded, or failed and cancelled) in
 * the order they ended, dropped oldest first once there are more than the
 * bound's `runs` or they are older than its `maxAgeMs`. A head index
 * instead of shifting, compacted once most of the array is dropped ids.
 */
export class FinishedRuns {
  private ids: string[] = [];
  private head = 0;
  /** The last `now` evict() was given, and the oldest end it let stay then: one date to format per ms. */
  private lastNow = Number.NaN;
  private lastOldest = '';

  constructor(readonly bound: RetentionBound) {}

  add(id: string): void {
    this.ids.push(id);
  }

  /**
   * Drops from the oldest end while the bound is exceeded; `endedAt`
   * answers when a run ended (undefined once it is gone), `drop` removes it.
   */
  evict(now: number, endedAt: (id: string) => string | undefined, drop: (id: string) => void): void {
    if (now !== this.lastNow) {
      this.lastNow = now;
      this.lastOldest = new Date(now - this.bound.maxAgeMs).toISOString();
    }
    const oldestAllowed = this.lastOldest;
    while (this.head < this.ids.length) {
      const id = this.ids[this.head]!;
      const ended = endedAt(id);
      const tooMany = this.ids.length - this.head > this.bound.runs;
      const tooOld = ended !== undefined && ended < oldestAllowed;
      if (ended !== undefined && !tooMany && !tooOld) break;
      drop(id);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.head = 0;
    }
  }
}
