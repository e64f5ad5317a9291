import type { CloudEvent, RunRecord } from '../../engine/run-record';
import type { EventLog, IngestAnswer, RunStore, TaskQueue } from '../types';

/** Events and the duplicate window in process memory. */
export class EmbeddedEventLog implements EventLog {
  private readonly seen = new Map<string, { answer: IngestAnswer; expiresAt: number }>();

  constructor(
    private readonly runs: RunStore,
    private readonly queue: TaskQueue,
    private readonly now: () => number = Date.now,
  ) {}

  async ingest(event: CloudEvent, runs: readonly RunRecord[], options: { dedupWindowMs: number }) {
    const key = `${event.source}\u0000${event.id}`;
    const now = this.now();
    const previous = this.seen.get(key);
    if (previous && previous.expiresAt > now) return { duplicate: true as const, answer: previous.answer };
    const answer: IngestAnswer = {
      eventId: event.id,
      runs: runs.map((r) => ({ flow: r.flow, runId: r.id })),
    };
    // Re-inserting moves the key to the end, so the map stays ordered by expiry.
    this.seen.delete(key);
    this.seen.set(key, { answer, expiresAt: now + options.dedupWindowMs });
    this.sweep(now);
    await this.runs.create(runs);
    await this.queue.enqueue(runs.map((r) => ({ kind: 'start' as const, run: r.id })));
    return { duplicate: false as const, answer };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.seen) {
      if (entry.expiresAt > now) break;
      this.seen.delete(key);
    }
  }
}
