import type { AuditEntry, CloudEvent, RunRecord } from '../../model/run-record';
import type { Task } from '../../model/task';
import type { EventLog, EventWaitKeys, IngestAnswer } from '../types';
import type { EmbeddedOrderLines } from './order-lines';
import type { EmbeddedRunStore } from './run-store';
import type { EmbeddedTaskQueue } from './task-queue';
import type { EmbeddedWaitStore } from './wait-store';

const NO_WAITS: readonly never[] = [];

/** How many event ids the embedded backend remembers at most, by default. */
export const DEFAULT_DEDUP_MAX_EVENTS = 10_000;

/**
 * What is kept per event, packed in one string (about half the memory of an
 * object per event): when it may be forgotten (epoch ms), STX, then its runs
 * as `flow NUL runId` joined by SOH, then, when it resumed waits, ETX and
 * those as `flow NUL runId NUL step` joined by SOH.
 */
type Seen = string;

function pack(expiresAt: number, answer: IngestAnswer): Seen {
  // One run and nothing resumed, the common event: no list to map and join.
  if (answer.runs.length === 1 && !answer.resumed?.length) {
    const [run] = answer.runs;
    return `${expiresAt}\u0002${run!.flow}\u0000${run!.runId}`;
  }
  const runs = answer.runs.map((r) => `${r.flow}\u0000${r.runId}`).join('\u0001');
  const resumed = answer.resumed?.length
    ? `\u0003${answer.resumed.map((r) => `${r.flow}\u0000${r.runId}\u0000${r.step}`).join('\u0001')}`
    : '';
  return `${expiresAt}\u0002${runs}${resumed}`;
}

function expiryOf(seen: Seen): number {
  return Number.parseInt(seen, 10);
}

/**
 * Events and the duplicate window in process memory. Each event costs a
 * small entry (its answer packed into one string) for the dedup window,
 * and at most `maxEvents` are kept, the oldest forgotten first: a gateway
 * that takes a steady stream of webhooks keeps flat memory instead of one
 * entry per event of the last 24 hours. Redis keeps the whole window.
 */
export class EmbeddedEventLog implements EventLog {
  private readonly seen = new Map<string, Seen>();
  /**
   * The entries in the order they were made (keys, and what was stored),
   * from `head` on, oldest first: what sweep() walks. Walking the map itself
   * from its start passes over every entry deleted since the map last
   * rehashed, thousands once it is full. An entry whose key was stored again
   * since is passed over: its newer place counts.
   */
  private keys: string[] = [];
  private stored: Seen[] = [];
  /** When each expires, as stored (no number to parse back out of its text). */
  private expiries: number[] = [];
  private head = 0;
  /**
   * When the oldest entry expires, as sweep() last found it: no sweep looks
   * before then unless the map grew past its bound. Lower than the truth
   * once that entry is gone, which only costs a sweep that finds it.
   */
  private firstExpiry = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly runs: EmbeddedRunStore,
    private readonly queue: EmbeddedTaskQueue,
    private readonly waits: EmbeddedWaitStore,
    private readonly now: () => number = Date.now,
    private readonly maxEvents = DEFAULT_DEDUP_MAX_EVENTS,
    private readonly lines?: EmbeddedOrderLines,
  ) {}

  async ingest(
    event: CloudEvent,
    runs: readonly RunRecord[],
    options: { dedupWindowMs: number; waits?: EventWaitKeys },
  ) {
    const key = `${event.source}\u0000${event.id}`;
    const now = this.now();
    const previous = this.seen.get(key);
    if (previous && expiryOf(previous) > now) {
      return { duplicate: true as const, answer: unpack(event.id, previous) };
    }
    const answer: IngestAnswer = {
      eventId: event.id,
      runs: runs.map((r) => ({ flow: r.flow, runId: r.id })),
    };
    const ended = options.waits ? this.waits.take(event, options.waits) : NO_WAITS;
    if (ended.length > 0) answer.resumed = ended.map((w) => ({ flow: w.flow, runId: w.runId, step: w.step }));
    // Re-inserting moves the key to the end, so the map stays ordered by expiry.
    this.seen.delete(key);
    const expiresAt = now + options.dedupWindowMs;
    const packed = pack(expiresAt, answer);
    this.seen.set(key, packed);
    this.keys.push(key);
    this.stored.push(packed);
    this.expiries.push(expiresAt);
    this.sweep(now);
    // In line in the same synchronous step as the dedup check: arrival order is ingest order.
    const tasks: Task[] = [];
    for (const run of runs) if (this.holdsKey(run)) tasks.push({ kind: 'start', run: run.id });
    // The stores' own methods at once: no turn between the run's record and its task.
    this.runs.add(runs);
    for (const wait of ended) tasks.push({ kind: 'resume', run: wait.runId, step: wait.step });
    this.queue.push(tasks);
    return { duplicate: false as const, answer };
  }

  async replay(originalId: string, run: RunRecord, audit: AuditEntry) {
    const runId = this.runs.claimReplay(originalId, run.id, audit);
    if (runId === undefined) return undefined;
    if (runId !== run.id) return { runId, created: false };
    const first = this.holdsKey(run);
    this.runs.add([run]);
    if (first) this.queue.push([{ kind: 'start', run: run.id }]);
    return { runId, created: true };
  }

  /** True when the new run may start now: it is not ordered, or first in its key's line. */
  private holdsKey(run: RunRecord): boolean {
    return run.orderKey === undefined || !this.lines || this.lines.join({ ...run, orderKey: run.orderKey });
  }

  private sweep(now: number): void {
    if (this.firstExpiry > now && this.seen.size <= this.maxEvents) return;
    this.firstExpiry = Number.NEGATIVE_INFINITY;
    for (; this.head < this.keys.length; this.head++) {
      const key = this.keys[this.head]!;
      const entry = this.stored[this.head]!;
      if (this.seen.get(key) !== entry) continue;
      const expiry = this.expiries[this.head]!;
      if (expiry > now && this.seen.size <= this.maxEvents) {
        this.firstExpiry = expiry;
        break;
      }
      this.seen.delete(key);
    }
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.stored = this.stored.slice(this.head);
      this.expiries = this.expiries.slice(this.head);
      this.head = 0;
    }
  }
}

function unpack(eventId: string, seen: Seen): IngestAnswer {
  const [runs = '', resumed] = seen.slice(seen.indexOf('\u0002') + 1).split('\u0003');
  const answer: IngestAnswer = {
    eventId,
    runs:
      runs === ''
        ? []
        : runs.split('\u0001').map((pair) => {
            const [flow = '', runId = ''] = pair.split('\u0000');
            return { flow, runId };
          }),
  };
  if (resumed) {
    answer.resumed = resumed.split('\u0001').map((triple) => {
      const [flow = '', runId = '', step = ''] = triple.split('\u0000');
      return { flow, runId, step };
    });
  }
  return answer;
}
