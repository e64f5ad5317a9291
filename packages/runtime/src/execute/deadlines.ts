import type { CallAbort } from '@baton/sdk/host';

/** One call's deadline: `clear()` it when the call answers. */
export interface Deadline {
  clear(): void;
}

/**
 * The timeouts of calls in flight, without a timer per call. Calls with the
 * same timeout end in the order they started, so each timeout length keeps
 * its calls in one list, oldest first, and one timer for the oldest: a call
 * costs a list entry, not a timer made, inserted and cleared (about a tenth
 * of a step of an action that does little). A call is aborted once its
 * timeout passed, as a timer of its own would do, at most a millisecond later.
 */
export class Deadlines {
  private readonly lists = new Map<number, DeadlineList>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Aborts `abort` (with no reason, as a timer would) once `ms` passed, unless cleared first. */
  start(ms: number, abort: CallAbort): Deadline {
    let list = this.lists.get(ms);
    if (!list) {
      list = new DeadlineList(ms, this.now);
      this.lists.set(ms, list);
    }
    return list.add(abort);
  }
}

class DeadlineEntry implements Deadline {
  prev: DeadlineEntry | undefined;
  next: DeadlineEntry | undefined;
  /** Still in its list: neither cleared nor fired. */
  listed = true;

  constructor(
    readonly list: DeadlineList,
    readonly abort: CallAbort,
    readonly dueAt: number,
  ) {}

  clear(): void {
    if (this.listed) this.list.remove(this);
  }
}

class DeadlineList {
  private head: DeadlineEntry | undefined;
  private tail: DeadlineEntry | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly now: () => number,
  ) {}

  add(abort: CallAbort): DeadlineEntry {
    const entry = new DeadlineEntry(this, abort, this.now() + this.ms);
    if (this.tail) {
      entry.prev = this.tail;
      this.tail.next = entry;
      this.tail = entry;
    } else {
      this.head = entry;
      this.tail = entry;
    }
    if (!this.timer) this.arm(this.ms);
    // A timer left armed while the list was empty no longer holds the process: it does again.
    else if (this.head === entry) this.timer.ref();
    return entry;
  }

  remove(entry: DeadlineEntry): void {
    entry.listed = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    // Nothing left to time: the timer stays armed (the next call likely comes soon) but lets the
    // process exit, as cleared timers did.
    if (!this.head) this.timer?.unref();
  }

  private arm(waitMs: number): void {
    this.timer = setTimeout(() => this.fire(), waitMs);
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.now();
    try {
      // Taken off the list before aborting: an abort's listeners may start or clear other calls.
      while (this.head && this.head.dueAt <= now) {
        const due = this.head;
        this.remove(due);
        due.abort.abort();
      }
    } finally {
      if (this.head && !this.timer) this.arm(Math.max(1, this.head.dueAt - now));
    }
  }
}
