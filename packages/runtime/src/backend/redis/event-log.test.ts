import { afterEach, describe, expect, it } from 'vitest';
import {
  backendPool,
  rawClient,
  startRedisServer,
  TEST_TARGETS,
  testFlow,
  testRun,
  uniquePrefix,
} from './_test-redis';
import { createRedisBackend } from './index';
import { Keys } from './keys';

describe.each(TEST_TARGETS)('Redis ingest on %s', (target) => {
  const pool = backendPool('ingest', target);
  afterEach(() => pool.dispose());

  it('records the runs and hands them to the workers in one step; a duplicate gets the first answer', async () => {
    const backend = await pool.open();
    const flow = testFlow();
    const first = testRun(flow, Date.now(), 'evt-1');
    const result = await backend.events.ingest(first.event, [first], { dedupWindowMs: 60_000 });
    expect(result).toEqual({
      duplicate: false,
      answer: { eventId: 'evt-1', runs: [{ flow: 'f', runId: first.id }] },
    });
    expect(await backend.runs.get(first.id)).toEqual(first);

    const again = testRun(flow, Date.now(), 'evt-1');
    const duplicate = await backend.events.ingest(again.event, [again], { dedupWindowMs: 60_000 });
    expect(duplicate).toEqual({ duplicate: true, answer: result.answer });
    expect(await backend.runs.get(again.id)).toBeUndefined();
    expect((await backend.runs.list({})).runs.map((r) => r.id)).toEqual([first.id]);

    const raw = await pool.raw();
    try {
      // The duplicate's hash, written in the same transaction, was deleted in it.
      expect(await raw.exists(new Keys(pool.prefix).run(again.id))).toBe(0);
      // One stream entry for the first ingest, none for the duplicate.
      const entries = await raw.xrange(new Keys(pool.prefix).starts, '-', '+');
      expect(entries.map(([, fields]) => fields)).toEqual([['runs', first.id]]);
    } finally {
      raw.disconnect();
    }
  });

  it("stores the event's data from its JSON text when the caller has it, as the same value", async () => {
    const backend = await pool.open();
    const flow = testFlow();
    const text = '{ "order": { "id": "o-1", "total": 42.5 }, "tags": ["a", "\\u00e9"], "none": null }';
    const run = testRun(flow, Date.now(), 'evt-json');
    run.event = { ...run.event, data: JSON.parse(text) };
    await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000, dataJson: text });
    // Another process reads the stored run (this one would answer from its own copy).
    const reader = await pool.open();
    expect((await reader.runs.get(run.id))?.event).toEqual(run.event);
  });

  it('records events that arrive together in shared calls, duplicates among them included', async () => {
    const backend = await pool.open();
    const flows = [testFlow('f'), testFlow('g')];
    // 150 events at once (more than one call holds) for two flows, every fifth sent twice.
    const runs = Array.from({ length: 150 }, (_, i) => testRun(flows[i % 2]!, Date.now(), `evt-batch-${i}`));
    const copies = runs.filter((_, i) => i % 5 === 0).map((r) => testRun(flows[0]!, Date.now(), r.event.id));
    const results = await Promise.all(
      [...runs, ...copies].map((run) => backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 })),
    );
    expect(results.slice(0, runs.length).every((r) => !r.duplicate)).toBe(true);
    expect(results.slice(runs.length)).toEqual(
      copies.map((_, i) => ({ duplicate: true, answer: results[i * 5]!.answer })),
    );
    for (const run of runs.slice(0, 3)) expect(await backend.runs.get(run.id)).toEqual(run);
    expect((await backend.runs.counts()).queued).toBe(runs.length);
    const listed = async (flow: string) =>
      (await backend.runs.list({ flow, limit: 500 })).runs.map((r) => r.id);
    expect((await listed('g')).sort()).toEqual(
      runs
        .filter((_, i) => i % 2 === 1)
        .map((r) => r.id)
        .sort(),
    );
    expect(await listed('f')).toHaveLength(75);

    const raw = await pool.raw();
    try {
      const entries = await raw.xrange(new Keys(pool.prefix).starts, '-', '+');
      const handedOff = entries.flatMap(([, fields]) => fields[1]!.split(','));
      expect(handedOff.sort()).toEqual(runs.map((r) => r.id).sort());
      expect(entries.length).toBeLessThan(runs.length);
    } finally {
      raw.disconnect();
    }
  });

  it('keys duplicates by source and event id, and forgets them after the window', async () => {
    const backend = await pool.open();
    const flow = testFlow();
    const run = testRun(flow, Date.now(), 'evt-2');
    await backend.events.ingest(run.event, [run], { dedupWindowMs: 150 });
    const otherSource = testRun(flow, Date.now(), 'evt-2');
    otherSource.event = { ...otherSource.event, source: 'crm' };
    expect(
      (await backend.events.ingest(otherSource.event, [otherSource], { dedupWindowMs: 150 })).duplicate,
    ).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    const later = testRun(flow, Date.now(), 'evt-2');
    const result = await backend.events.ingest(later.event, [later], { dedupWindowMs: 150 });
    expect(result.duplicate).toBe(false);
    expect(result.answer.runs[0]!.runId).toBe(later.id);
  });

  it('remembers an event that started no run', async () => {
    const backend = await pool.open();
    const run = testRun(testFlow(), Date.now(), 'evt-3');
    expect(await backend.events.ingest(run.event, [], { dedupWindowMs: 60_000 })).toEqual({
      duplicate: false,
      answer: { eventId: 'evt-3', runs: [] },
    });
    expect((await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 })).duplicate).toBe(true);
    expect(await backend.runs.get(run.id)).toBeUndefined();
  });

  it('starts ingested runs through the start stream, also when the consumer that held them died', async () => {
    const backend = await pool.open({ claimIdleMs: 200 });
    const flow = testFlow();
    const run = testRun(flow);
    await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 });
    // A worker that read the entry and died before relaying it.
    const raw = await pool.raw();
    const keys = new Keys(pool.prefix);
    try {
      await raw.call('XGROUP', 'CREATE', keys.starts, 'workers', '0', 'MKSTREAM');
      await raw.call(
        'XREADGROUP',
        'GROUP',
        'workers',
        'dead-worker',
        'COUNT',
        10,
        'STREAMS',
        keys.starts,
        '>',
      );
    } finally {
      raw.disconnect();
    }
    const started: string[] = [];
    backend.queue.consume(
      async (task) => {
        if (task.kind === 'start') started.push(task.run);
      },
      { concurrency: 2, onDead: async () => {} },
    );
    for (let i = 0; i < 100 && started.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([run.id]);
    expect((await backend.queue.depth()).waiting).toBe(0);
  });

  it.skipIf(target === 'cluster')(
    'records events on a Redis that does not hold the script yet, each once',
    async () => {
      // A server of its own: flushing scripts on the shared one would disturb other tests.
      const server = await startRedisServer();
      const backend = await createRedisBackend({ url: server.url, prefix: uniquePrefix('ingest-noscript') });
      const raw = rawClient(server.url);
      try {
        const flow = testFlow();
        for (const round of [1, 2]) {
          await raw.script('FLUSH');
          const runs = [1, 2, 3].map((i) => testRun(flow, Date.now(), `evt-noscript-${round}-${i}`));
          const results = await Promise.all(
            runs.map((run) => backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 })),
          );
          expect(results.map((r) => r.duplicate)).toEqual([false, false, false]);
          for (const run of runs) expect(await backend.runs.get(run.id)).toEqual(run);
          const again = testRun(flow, Date.now(), runs[0]!.event.id);
          expect(
            (await backend.events.ingest(again.event, [again], { dedupWindowMs: 60_000 })).duplicate,
          ).toBe(true);
        }
        const entries = await raw.xrange(new Keys(backend.prefix).starts, '-', '+');
        expect(entries.flatMap(([, fields]) => fields[1]!.split(','))).toHaveLength(6);
      } finally {
        raw.disconnect();
        await backend.close();
        await server.stop();
      }
    },
  );

  it.skipIf(target === 'cluster')(
    'sends the script in full on a new or reconnected connection, so no NOSCRIPT follows the written hashes',
    async () => {
      const server = await startRedisServer();
      const backend = await createRedisBackend({ url: server.url, prefix: uniquePrefix('ingest-reconnect') });
      const raw = rawClient(server.url);
      const noscripts = async () =>
        Number((await raw.info('errorstats')).match(/errorstat_NOSCRIPT:count=(\d+)/)?.[1] ?? 0);
      const ingestOne = async (id: string) => {
        const run = testRun(testFlow(), Date.now(), id);
        await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 });
        expect(await backend.runs.get(run.id)).toEqual(run);
      };
      try {
        await ingestOne('evt-reconnect-1');
        await ingestOne('evt-reconnect-2');
        // As a restarted Redis: an empty script cache, and every client connects again.
        await raw.script('FLUSH');
        await raw.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
        // Refused (BACKEND_UNAVAILABLE, nothing sent) until the backend has connected again.
        for (let i = 0; ; i++) {
          try {
            await ingestOne('evt-reconnect-3');
            break;
          } catch (error) {
            if (i > 100 || (error as { code?: string }).code !== 'BACKEND_UNAVAILABLE') throw error;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        expect(await noscripts()).toBe(0);
      } finally {
        raw.disconnect();
        await backend.close();
        await server.stop();
      }
    },
  );
});
