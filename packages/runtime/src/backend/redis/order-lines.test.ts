import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../model/run-record';
import { backendPool, rawClient, testFlow, testRun } from './_test-redis';
import { Keys } from './keys';

/** Ordering lines on Redis: who joins at ingest and replay, and who is handed the key when a run ends. */
describe('Redis order lines', () => {
  const pool = backendPool('order');
  afterEach(() => pool.dispose());

  const flow = testFlow('orders');
  const ordered = (key: string | undefined, eventId?: string): RunRecord => {
    const run = testRun(flow, Date.now(), eventId);
    if (key !== undefined) run.orderKey = key;
    return run;
  };
  const ingest = (backend: Awaited<ReturnType<typeof pool.open>>, runs: RunRecord[]) =>
    backend.events.ingest(runs[0]!.event, runs, { dedupWindowMs: 60_000 });

  /** The runs handed to the workers on the start stream so far, and Ann's line. */
  async function look() {
    const keys = new Keys(pool.prefix);
    const raw = rawClient();
    try {
      const entries = await raw.xrange(keys.starts, '-', '+');
      return {
        handedOff: entries.flatMap(([, fields]) => (fields[1] ?? '').split(',')),
        line: await raw.lrange(keys.orderLine('orders', 'ann'), 0, -1),
      };
    } finally {
      raw.disconnect();
    }
  }

  it('hands off only the first run of a key, and the next when the first ends, in one script each', async () => {
    const backend = await pool.open();
    const a1 = ordered('ann', 'e1');
    await ingest(backend, [a1]);
    // Arriving together: a copy of e1 (its runs are skipped, the key count included), a second
    // run of Ann, a run of Bob and one without a key.
    const copy = ordered('ann', 'e1');
    const a2 = ordered('ann', 'e2');
    const b1 = ordered('bob', 'e3');
    const free = ordered(undefined, 'e4');
    const results = await Promise.all([
      ingest(backend, [copy]),
      ingest(backend, [a2]),
      ingest(backend, [b1]),
      ingest(backend, [free]),
    ]);
    expect(results.map((r) => r.duplicate)).toEqual([true, false, false, false]);
    for (const run of [a1, a2, b1, free]) expect(await backend.runs.get(run.id)).toEqual(run);
    let seen = await look();
    expect(seen.handedOff).toEqual([a1.id, b1.id, free.id]);
    expect(seen.line).toEqual([a1.id, a2.id]);
    expect(await backend.runs.turn(a2)).toEqual({ orderKey: 'ann', behind: a1.id, ahead: 1 });
    expect(await backend.runs.turn(a1)).toBeUndefined();
    expect(await backend.runs.turn(free)).toBeUndefined();

    const a3 = ordered('ann', 'e5');
    await ingest(backend, [a3]);
    // Cancelled while waiting: out of the line, nobody handed off.
    await backend.runs.patch(a2.id, { status: 'cancelled', phase: 'done' }, { onlyIfActive: true });
    seen = await look();
    expect(seen.line).toEqual([a1.id, a3.id]);
    expect(seen.handedOff).toEqual([a1.id, b1.id, free.id]);

    // The first ends: the next is handed off with the end; a second terminal patch does nothing.
    await backend.runs.patch(a1.id, { status: 'running' });
    await backend.runs.patch(a1.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    await backend.runs.patch(a1.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    seen = await look();
    expect(seen.handedOff).toEqual([a1.id, b1.id, free.id, a3.id]);
    expect(seen.line).toEqual([a3.id]);

    await backend.runs.patch(a3.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    await backend.runs.patch(free.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    seen = await look();
    expect(seen.line).toEqual([]);
    expect(seen.handedOff).toHaveLength(4);
  });

  it('puts a replay at the end of its line, handed off at once when the line is empty', async () => {
    const backend = await pool.open();
    const a1 = ordered('ann', 'e1');
    await ingest(backend, [a1]);
    await backend.runs.patch(a1.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    const a2 = ordered('ann', 'e2');
    await ingest(backend, [a2]);
    const audit = { action: 'replay' as const, actor: 'ops', at: new Date().toISOString() };
    const replay = { ...ordered('ann', 'e1'), trigger: 'replay' as const, replayOf: a1.id };
    expect(await backend.events.replay(a1.id, replay, audit)).toEqual({ runId: replay.id, created: true });
    let seen = await look();
    expect(seen.line).toEqual([a2.id, replay.id]);
    expect(seen.handedOff).toEqual([a1.id, a2.id]);

    await backend.runs.patch(a2.id, { status: 'succeeded', phase: 'done' }, { onlyIfActive: true });
    seen = await look();
    expect(seen.handedOff).toEqual([a1.id, a2.id, replay.id]);

    // Without a key, a replay is handed off as before.
    const b1 = ordered(undefined, 'e3');
    await ingest(backend, [b1]);
    await backend.runs.patch(b1.id, { status: 'failed', phase: 'done' }, { onlyIfActive: true });
    const again = { ...ordered(undefined, 'e3'), trigger: 'replay' as const, replayOf: b1.id };
    await backend.events.replay(b1.id, again, audit);
    expect((await look()).handedOff.at(-1)).toBe(again.id);
  });
});
