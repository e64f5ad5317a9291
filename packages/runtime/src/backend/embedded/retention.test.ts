import { describe, expect, it } from 'vitest';
import { newRun } from '../../model/new-run';
import type { RunStatus } from '../../model/run-record';
import { resolveRetention } from '../retention';
import { EmbeddedRunStore } from './run-store';

const flow = { id: 'f', steps: [{ id: 's0', phase: 'main' as const }] };
let events = 0;

async function finishRun(store: EmbeddedRunStore, status: RunStatus, now: number): Promise<string> {
  events += 1;
  const event = {
    specversion: '1.0' as const,
    id: `e${events}`,
    source: 's',
    type: 'go',
    time: '',
    data: {},
  };
  const run = newRun(flow, event, 'webhook', now);
  await store.create([run]);
  await store.patch(
    run.id,
    { status, phase: 'done', endedAt: new Date(now).toISOString() },
    { onlyIfActive: true },
  );
  return run.id;
}

describe('embedded retention of failed runs', () => {
  it('keeps failed and cancelled runs apart: successes beyond their bound never push them out', async () => {
    const store = new EmbeddedRunStore(resolveRetention({ runs: 3, failed: { runs: 5 } }));
    const failed = [];
    for (let i = 0; i < 4; i++)
      failed.push(await finishRun(store, i % 2 ? 'cancelled' : 'failed', Date.now()));
    for (let i = 0; i < 50; i++) await finishRun(store, 'succeeded', Date.now());
    for (const id of failed) expect(await store.get(id)).toBeDefined();
    expect(await store.counts()).toMatchObject({ succeeded: 3, failed: 2, cancelled: 2 });
  });

  it('drops failed runs beyond their own count, oldest first', async () => {
    const store = new EmbeddedRunStore(resolveRetention({ failed: { runs: 2 } }));
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await finishRun(store, 'failed', Date.now()));
    expect(await store.get(ids[1]!)).toBeUndefined();
    expect((await store.list({ status: 'failed' })).runs.map((r) => r.id)).toEqual([ids[3], ids[2]]);
  });

  it('drops failed runs older than their own age, also while only successes end', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new EmbeddedRunStore(
      resolveRetention({ maxAgeMs: 1_000, failed: { maxAgeMs: 60_000 } }),
      () => now,
    );
    const old = await finishRun(store, 'failed', now);
    now += 30_000;
    const fresh = await finishRun(store, 'failed', now);
    await finishRun(store, 'succeeded', now);
    expect(await store.get(old)).toBeDefined();
    now += 40_000;
    await finishRun(store, 'succeeded', now);
    expect(await store.get(old)).toBeUndefined();
    expect(await store.get(fresh)).toBeDefined();
  });
});

describe('resolveRetention', () => {
  it('keeps failures at least as many and as long as successes when `failed` is left out', () => {
    expect(resolveRetention()).toEqual({
      runs: 10_000,
      maxAgeMs: 7 * 86_400_000,
      failed: { runs: 10_000, maxAgeMs: 30 * 86_400_000 },
    });
    expect(resolveRetention({ runs: 50_000, maxAgeMs: 90 * 86_400_000 }).failed).toEqual({
      runs: 50_000,
      maxAgeMs: 90 * 86_400_000,
    });
    expect(resolveRetention({ runs: 100, failed: { runs: 10 } }).failed).toEqual({
      runs: 10,
      maxAgeMs: 30 * 86_400_000,
    });
  });
});
