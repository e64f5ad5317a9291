import type { StartRunner } from './local-starts';
import type { StartEntry } from './start-entries';

/** How long a new start read without room waits here for a slot before it becomes a queue job. */
export const BACKLOG_WAIT_MS = 200;

/**
 * New start-stream entries this worker read but found no room for when they
 * arrived: a worker reads as many entries as it has free slots, but on a
 * partitioned hub the start relay of another partition may have read for
 * the same slots at the same moment. (With one partition only a queue job
 * can take them, and such entries go to the queue, where another worker
 * may be free sooner.) Rather than turn such an entry into a queue job at
 * once (three BullMQ scripts and two hops more for its run), it waits here,
 * still pending to this consumer, and starts in the next slot that frees;
 * after `BACKLOG_WAIT_MS` it becomes a queue job after all, so no run waits
 * on a busy worker while another is idle. At most `limit` entries wait.
 */
export class StartBacklog {
  private waiting: Array<{ entry: StartEntry; since: number }> = [];

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  has(id: string): boolean {
    return this.waiting.some((w) => w.entry.id === id);
  }

  /** Keeps what fits within the limit; answers the entries it did not keep. */
  add(entries: readonly StartEntry[]): StartEntry[] {
    const room = Math.max(0, this.limit - this.waiting.length);
    const since = this.now();
    for (const entry of entries.slice(0, room)) this.waiting.push({ entry, since });
    return entries.slice(room);
  }

  /**
   * Starts the waiting entries, in arrival order, while `runner` has room
   * for all of an entry's tasks; answers those to queue instead: the ones
   * that waited too long, and one that needs more slots than are free
   * while some are (it would hold up the line).
   */
  drain(runner: StartRunner, start: (entry: StartEntry) => void): StartEntry[] {
    const queue: StartEntry[] = [];
    let started = 0;
    while (this.waiting.length > 0) {
      const { entry } = this.waiting[0]!;
      if (runner.take(entry.tasks.length)) {
        start(entry);
        started += 1;
      } else if (runner.room() > 0) queue.push(entry);
      else break;
      this.waiting.shift();
    }
    if (started > 0) runner.changed();
    const oldest = this.now() - BACKLOG_WAIT_MS;
    while (this.waiting.length > 0 && this.waiting[0]!.since <= oldest)
      queue.push(this.waiting.shift()!.entry);
    return queue;
  }

  /** Empties the backlog (the relay stops): its entries, to settle otherwise. */
  clear(): StartEntry[] {
    const entries = this.waiting.map((w) => w.entry);
    this.waiting = [];
    return entries;
  }
}
