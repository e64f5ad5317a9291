import { afterEach, describe, expect, it } from 'vitest';
import { backendPool, rawClient, testFlow, testRun } from './_test-redis';
import { Keys } from './keys';

describe('Redis run list', () => {
  const pool = backendPool('list');
  afterEach(() => pool.dispose());

  it('lists newest first, by flow and status, page by page with a cursor', async () => {
    const backend = await pool.open();
    const [f, g] = [testFlow('f'), testFlow('g')];
    const start = Date.parse('2030-01-01T00:00:00.000Z');
    const runs = Array.from({ length: 7 }, (_, i) => testRun(i % 2 ? g : f, start + i * 1000));
    await backend.runs.create(runs);
    await backend.runs.patch(runs[2]!.id, { status: 'failed', phase: 'done' });
    await backend.runs.patch(runs[4]!.id, { status: 'failed', phase: 'done' });
    await backend.runs.patch(runs[5]!.id, { status: 'failed', phase: 'done' });
    const ids = runs.map((r) => r.id);

    const page1 = await backend.runs.list({ limit: 3 });
    expect(page1.runs.map((r) => r.id)).toEqual([ids[6], ids[5], ids[4]]);
    const page2 = await backend.runs.list({ limit: 3, cursor: page1.next! });
    expect(page2.runs.map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    const page3 = await backend.runs.list({ limit: 3, cursor: page2.next! });
    expect(page3).toEqual({ runs: [expect.objectContaining({ id: ids[0] })] });

    expect((await backend.runs.list({ flow: 'g' })).runs.map((r) => r.id)).toEqual([ids[5], ids[3], ids[1]]);
    expect((await backend.runs.list({ status: 'failed', limit: 2 })).runs.map((r) => r.id)).toEqual([
      ids[5],
      ids[4],
    ]);
    expect((await backend.runs.list({ flow: 'f', status: 'failed' })).runs.map((r) => r.id)).toEqual([
      ids[4],
      ids[2],
    ]);
    const since = new Date(start + 4000).toISOString();
    expect((await backend.runs.list({ since })).runs.map((r) => r.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect((await backend.runs.list({ flow: 'none' })).runs).toEqual([]);
    expect(page1.runs[0]).toEqual({
      id: ids[6],
      flow: 'f',
      status: 'queued',
      trigger: 'webhook',
      eventId: runs[6]!.event.id,
      eventType: 'go',
      createdAt: runs[6]!.createdAt,
    });
  });

  it('skips runs whose hash expired and drops them from the index', async () => {
    const backend = await pool.open();
    const runs = [testRun(testFlow()), testRun(testFlow())];
    await backend.runs.create(runs);
    const keys = new Keys(pool.prefix);
    const raw = rawClient();
    try {
      await raw.del(keys.run(runs[0]!.id));
      expect((await backend.runs.list({})).runs.map((r) => r.id)).toEqual([runs[1]!.id]);
      expect(await raw.zrange(keys.allRuns, '0', '-1')).toEqual([runs[1]!.id]);
    } finally {
      raw.disconnect();
    }
  });
});
