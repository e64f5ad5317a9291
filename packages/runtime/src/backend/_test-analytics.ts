/**
 * Test support (not exported): what both analytics stores must do, run by
 * each store's own test against its backend.
 */
import { expect, it } from 'vitest';
import { MAX_CODES_PER_BUCKET, OTHER } from '../analytics/fields';
import { bucketOf } from '../analytics/histogram';
import type { RunFigures } from '../analytics/run-figures';
import { type AnalyticsSpan, bucketStart, spanOf } from '../analytics/tiers';
import type { AnalyticsStore } from './types';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A run of flow `flow` that ended at `endedAt`, with one step `a`. */
export function figuresOf(flow: string, endedAt: number, extra: Partial<RunFigures> = {}): RunFigures {
  return {
    flow,
    status: 'succeeded',
    endedAt,
    durationMs: 120,
    attemptErrors: [],
    steps: [{ id: 'a', durationMs: 40, attempts: 2, retries: 1, fallbacks: 0, waitingMs: 5 }],
    ...extra,
  };
}

function span(since: number, until: number, now: number): AnalyticsSpan {
  const found = spanOf(since, until, now);
  if (typeof found === 'string') throw new Error(found);
  return found;
}

/**
 * The behaviour every AnalyticsStore shares. `open` gives a store on fresh
 * state, `flow` a flow id no other test uses.
 */
export function analyticsStoreSuite(open: () => Promise<AnalyticsStore>, flow: () => string): void {
  it('sums the runs of a flow in the buckets of a window, minutes and hours alike', async () => {
    const store = await open();
    const id = flow();
    const now = Date.now();
    const thisMinute = bucketStart('minute', now);
    await store.record(figuresOf(id, thisMinute + 1));
    await store.record(
      figuresOf(id, thisMinute + 2, {
        status: 'failed',
        durationMs: 3_000,
        errorCode: 'LABEL_REFUSED',
        attemptErrors: ['GATEWAY_TIMEOUT', 'LABEL_REFUSED'],
        steps: [
          { id: 'a', durationMs: 40, attempts: 1, retries: 0, fallbacks: 1, waitingMs: 0 },
          { id: 'b', durationMs: 2_000, attempts: 1, retries: 0, fallbacks: 0, waitingMs: 0 },
        ],
      }),
    );
    await store.record(figuresOf(id, thisMinute - 90 * MIN));
    await store.record(figuresOf(`${id}-other`, thisMinute + 3));

    const lastHour = await store.read(id, span(now - HOUR, now + 1, now));
    expect(lastHour.runs).toEqual({ succeeded: 1, failed: 1, cancelled: 0 });
    expect(lastHour.duration[bucketOf(120)]).toBe(1);
    expect(lastHour.duration[bucketOf(3_000)]).toBe(1);
    expect(lastHour.steps.get('a')).toMatchObject({ attempts: 3, retries: 1, fallbacks: 1, waitingMs: 5 });
    expect(lastHour.steps.get('a')!.duration[bucketOf(40)]).toBe(2);
    expect(lastHour.steps.get('b')!.duration[bucketOf(2_000)]).toBe(1);
    expect(Object.fromEntries(lastHour.errors)).toEqual({ LABEL_REFUSED: 1 });
    expect(Object.fromEntries(lastHour.attemptErrors)).toEqual({ GATEWAY_TIMEOUT: 1, LABEL_REFUSED: 1 });

    const lastDay = await store.read(id, span(now - 24 * HOUR, now + 1, now));
    expect(lastDay.runs).toEqual({ succeeded: 2, failed: 1, cancelled: 0 });
  });

  it('keeps at most the bound of distinct error codes per bucket, counting later new ones as (other)', async () => {
    const store = await open();
    const id = flow();
    const now = Date.now();
    const extra = 7;
    // Run ends a store gathers before writing keep their order: the first codes get the room.
    await Promise.all(
      Array.from({ length: MAX_CODES_PER_BUCKET + extra }, (_, i) =>
        store.record(
          figuresOf(id, now, { status: 'failed', errorCode: `CODE_${i}`, attemptErrors: [`X_${i}`] }),
        ),
      ),
    );
    // A code the bucket already has still counts under its own name.
    await store.record(figuresOf(id, now, { status: 'failed', errorCode: 'CODE_0' }));
    const counts = await store.read(id, span(now - MIN, now + 1, now));
    expect(counts.errors.size).toBe(MAX_CODES_PER_BUCKET + 1);
    expect(counts.errors.get('CODE_0')).toBe(2);
    expect(counts.errors.get(OTHER)).toBe(extra);
    expect(counts.attemptErrors.size).toBe(MAX_CODES_PER_BUCKET + 1);
    expect(counts.attemptErrors.get(OTHER)).toBe(extra);
  });

  it('counts breaker openings by instance and bucket', async () => {
    const store = await open();
    const now = Date.now();
    await store.recordBreakerOpening('pay', now);
    await store.recordBreakerOpening('pay', now);
    await store.recordBreakerOpening('crm', now - 3 * HOUR);
    const recent = await store.breakerOpenings(span(now - HOUR, now + 1, now));
    expect(recent.get('pay')).toBe(2);
    expect(recent.has('crm')).toBe(false);
    const day = await store.breakerOpenings(span(now - 24 * HOUR, now + 1, now));
    expect(day.get('crm')).toBe(1);
  });

  it('keeps nothing of a run that ended longer ago than its buckets are kept', async () => {
    const store = await open();
    const id = flow();
    const now = Date.now();
    // Its minute expired long ago; its hour (kept eight days) has not.
    await store.record(figuresOf(id, now - 5 * HOUR));
    await store.record(figuresOf(id, now - 9 * 24 * HOUR));
    expect((await store.read(id, span(now - 6 * HOUR, now, now))).runs.succeeded).toBe(1);
    const minutes: AnalyticsSpan = { tier: 'minute', from: bucketStart('minute', now - 5 * HOUR), to: now };
    expect((await store.read(id, minutes)).runs.succeeded).toBe(0);
    const old: AnalyticsSpan = { tier: 'hour', from: bucketStart('hour', now - 9 * 24 * HOUR), to: now };
    expect((await store.read(id, old)).runs.succeeded).toBe(1);
  });
}
