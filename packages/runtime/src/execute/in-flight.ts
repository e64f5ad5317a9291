import type { CallAbort } from '@baton/sdk/host';

/** One call in flight: `end()` it when the call is over. */
export interface InFlightCall {
  end(): void;
}

/**
 * The calls in flight in this process, so cancelling a run aborts its
 * calls. A list linked through its entries: a call joins and leaves it
 * with no map to hash its run id into (every step does both), and a
 * cancel, which is rare, walks the calls in flight, at most as many as
 * the worker's concurrency.
 */
export class InFlightCalls {
  private head: CallEntry | undefined;

  add(runId: string, abort: CallAbort): InFlightCall {
    const entry = new CallEntry(this, runId, abort);
    entry.next = this.head;
    if (this.head) this.head.prev = entry;
    this.head = entry;
    return entry;
  }

  /** Aborts every call of the run in flight here. */
  abortRun(runId: string, reason: unknown): void {
    const aborts: CallAbort[] = [];
    for (let entry = this.head; entry; entry = entry.next)
      if (entry.runId === runId) aborts.push(entry.abort);
    for (const abort of aborts) abort.abort(reason);
  }

  /** Takes `entry` off the list (see CallEntry.end). */
  unlink(entry: CallEntry): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
  }
}

class CallEntry implements InFlightCall {
  prev: CallEntry | undefined;
  next: CallEntry | undefined;
  private ended = false;

  constructor(
    private readonly calls: InFlightCalls,
    readonly runId: string,
    readonly abort: CallAbort,
  ) {}

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.calls.unlink(this);
  }
}
