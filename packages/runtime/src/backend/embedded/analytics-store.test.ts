import { describe, expect, it } from 'vitest';
import { ANALYTICS_TIERS, type AnalyticsSpan, bucketStart } from '../../analytics/tiers';
import { analyticsStoreSuite, figuresOf } from '../_test-analytics';
import { EmbeddedAnalyticsStore } from './analytics-store';

describe('embedded analytics store', () => {
  let flows = 0;
  analyticsStoreSuite(
    async () => new EmbeddedAnalyticsStore(Date.now),
    () => `flow-${++flows}`,
  );

  it('expires minutes after two hours and hours after eight days, and lets go of them', async () => {
    let now = Date.parse('2026-03-01T10:00:30.000Z');
    const store = new EmbeddedAnalyticsStore(() => now);
    const endedAt = now;
    await store.record(figuresOf('f', endedAt));
    const minute: AnalyticsSpan = { tier: 'minute', from: bucketStart('minute', endedAt), to: endedAt + 1 };
    const hour: AnalyticsSpan = { tier: 'hour', from: bucketStart('hour', endedAt), to: endedAt + 1 };
    expect(store.size).toBe(2);

    const minuteEnds =
      bucketStart('minute', endedAt) + ANALYTICS_TIERS.minute.sizeMs + ANALYTICS_TIERS.minute.keepMs;
    now = minuteEnds - 1;
    expect((await store.read('f', minute)).runs.succeeded).toBe(1);
    now = minuteEnds;
    expect((await store.read('f', minute)).runs.succeeded).toBe(0);
    expect((await store.read('f', hour)).runs.succeeded).toBe(1);

    now = bucketStart('hour', endedAt) + ANALYTICS_TIERS.hour.sizeMs + ANALYTICS_TIERS.hour.keepMs;
    expect((await store.read('f', hour)).runs.succeeded).toBe(0);
    // The next write sweeps the expired buckets out: memory follows the buckets kept, not the runs.
    await store.record(figuresOf('f', now));
    expect(store.size).toBe(2);
  });
});
