import type { CloudEvent } from '../../model/run-record';
import type { EventWaitKeys, WaitEntry, WaitStore } from '../types';

/** One event kept for the waits that start within their lookback. */
interface Recent {
  at: number;
  /** When no wait can take it any more. */
  until: number;
  event: CloudEvent;
}

/** Every this many events, the recent events no wait can take any more are dropped. */
const SWEEP_EVERY = 512;

/** An event is kept at least this long, whatever the lookback: see the Redis event log's RACE_KEEP_MS. */
const RACE_KEEP_MS = 120_000;

/** How many recent events one key keeps at most: the latest is the one a wait takes. */
const RECENT_PER_KEY = 4;

/**
 * Waits in process memory. JavaScript runs one thing at a time, so a
 * registration and an event's matching never interleave: neither misses
 * the other.
 */
export class EmbeddedWaitStore implements WaitStore {
  private readonly waiting = new Map<string, Map<string, WaitEntry>>();
  private readonly recent = new Map<string, Recent[]>();
  private readonly matches = new Map<string, CloudEvent>();
  private takes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async register(wait: WaitEntry, options: { sinceMs: number; lookbackMs: number }) {
    const key = indexKey(wait.source, wait.type, wait.key);
    const recent = this.recent.get(key);
    if (recent) {
      const from = Math.min(options.sinceMs, this.now()) - options.lookbackMs;
      const hit = recent.filter((r) => r.at >= from).at(-1);
      if (hit) return hit.event;
    }
    let waiters = this.waiting.get(key);
    if (!waiters) {
      waiters = new Map();
      this.waiting.set(key, waiters);
    }
    waiters.set(waiterId(wait.runId, wait.step), wait);
    return undefined;
  }

  async forget(wait: WaitEntry) {
    const key = indexKey(wait.source, wait.type, wait.key);
    const waiters = this.waiting.get(key);
    waiters?.delete(waiterId(wait.runId, wait.step));
    if (waiters?.size === 0) this.waiting.delete(key);
    this.matches.delete(waiterId(wait.runId, wait.step));
  }

  async matched(wait: WaitEntry) {
    return this.matches.get(waiterId(wait.runId, wait.step));
  }

  /**
   * The waits `event` ends, taken out of the index (each ends once), with
   * the event kept for their resume; and the event remembered for waits
   * that start within a lookback. Called by ingest, in the same turn.
   */
  take(event: CloudEvent, waits: EventWaitKeys): WaitEntry[] {
    const now = this.now();
    const ended: WaitEntry[] = [];
    for (const { key, lookbackMs } of waits.keys) {
      const index = indexKey(event.source, event.type, key);
      const waiters = this.waiting.get(index);
      if (waiters) {
        this.waiting.delete(index);
        for (const wait of waiters.values()) {
          this.matches.set(waiterId(wait.runId, wait.step), event);
          ended.push(wait);
        }
      }
      this.remember(index, { at: now, until: now + Math.max(lookbackMs, RACE_KEEP_MS), event }, now);
    }
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    return ended;
  }

  private remember(index: string, entry: Recent, now: number): void {
    const kept = (this.recent.get(index) ?? []).filter((r) => r.until >= now).slice(-(RECENT_PER_KEY - 1));
    kept.push(entry);
    this.recent.set(index, kept);
  }

  private sweep(now: number): void {
    for (const [index, entries] of this.recent) {
      const kept = entries.filter((r) => r.until >= now);
      if (kept.length === 0) this.recent.delete(index);
      else if (kept.length < entries.length) this.recent.set(index, kept);
    }
  }
}

function indexKey(source: string, type: string, key: string): string {
  return `${source}\u0000${type}\u0000${key}`;
}

function waiterId(runId: string, step: string): string {
  return `${runId}\u0000${step}`;
}
