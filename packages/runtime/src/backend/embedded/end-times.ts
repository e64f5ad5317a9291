/**
 * The times answered calls stop counting in a rate window, in the order
 * they answered (which is the order they stop counting): a queue of
 * numbers rather than a map of call ids, so a busy budget's answers cost
 * no map entry and no string each, and the n-th is read at once.
 */
export class EndTimes {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  push(until: number): void {
    this.times.push(until);
  }

  /** When the `n`-th still counted (0: the first to stop counting) stops counting. */
  at(n: number): number | undefined {
    return this.times[this.head + n];
  }

  /**
   * Forgets the times up to `now`: the scan stops at the first still
   * counted, and costs what it drops.
   */
  dropUntil(now: number): void {
    const { times } = this;
    let head = this.head;
    while (head < times.length && times[head]! <= now) head++;
    // The dropped front is cut off once it is half the array: each time moves at most once.
    if (head > 1024 && head * 2 > times.length) {
      this.times = times.slice(head);
      head = 0;
    }
    this.head = head;
  }
}
