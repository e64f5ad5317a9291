import { afterEach, describe, expect, it } from 'vitest';
import { newRunId } from '../../model/ids';
import type { RunRecord } from '../../model/run-record';
import type { Task } from '../../model/task';
import { backendPool, TEST_TARGETS, testFlow, testRun } from './_test-redis';
import { createRedisBackend } from './index';
import { Keys } from './keys';
import type { PartitionedEventLog } from './partitioned-events';
import type { PartitionedTaskQueue } from './partitioned-queue';
import { Partitions } from './partitions';
import { runFields } from './run-codec';

const PARTITIONS = 3;

describe.each(TEST_TARGETS)(`a hub of ${PARTITIONS} partitions on %s`, (target) => {
  const pool = backendPool('parts', target);
  afterEach(() => pool.dispose());
  const open = () => pool.open({ partitions: PARTITIONS });
  const partitions = () => new Partitions(pool.prefix, PARTITIONS);
  const keysOf = (p: number) => new Keys(partitions().prefixes[p]!);
  /** Gives run i an id in partition i mod the count: random ids can miss one (9 runs miss one 8 times in 100). */
  const spread = <T extends RunRecord>(runs: T[]): T[] => {
    for (const [i, run] of runs.entries())
      while (partitions().ofRun(run.id) !== i % PARTITIONS) run.id = newRunId(Date.parse(run.createdAt));
    return runs;
  };

  it('writes each run in its partition, beside its event, and finds it from any process', async () => {
    const backend = await open();
    const flow = testFlow();
    const ingested = [];
    for (let i = 0; i < 30; i++) {
      const run = testRun(flow, Date.now(), `evt-${i}`);
      backend.placeRuns!([run], { source: run.event.source, eventId: run.event.id });
      ingested.push(run);
      await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 });
    }
    const reader = await open();
    const raw = await pool.raw();
    try {
      const seen = new Set<number>();
      for (const run of ingested) {
        const p = partitions().ofRun(run.id);
        seen.add(p);
        expect(p).toBe(partitions().ofEvent(run.event.source, run.event.id));
        expect(await raw.exists(keysOf(p).run(run.id))).toBe(1);
        expect(await reader.runs.get(run.id)).toEqual(run);
      }
      expect(seen.size).toBe(PARTITIONS);
      if ('nodes' in raw) {
        // The partitions' tags fall into even slot ranges: each master of the Cluster holds runs.
        const stem = pool.prefix.slice(0, -1);
        for (const master of raw.nodes('master')) {
          let [cursor, found] = ['0', 0];
          do {
            const [next, keys] = await master.scan(cursor, 'MATCH', `${stem}*:run:*`, 'COUNT', 1000);
            [cursor, found] = [next, found + keys.length];
          } while (cursor !== '0' && found === 0);
          expect(found).toBeGreaterThan(0);
        }
      }
    } finally {
      raw.disconnect();
    }
  });

  it('lists newest first across partitions, page by page with a cursor, and sums the counts', async () => {
    const backend = await open();
    const [f, g] = [testFlow('f'), testFlow('g')];
    const start = Date.parse('2030-01-01T00:00:00.000Z');
    const runs = spread(Array.from({ length: 20 }, (_, i) => testRun(i % 2 ? g : f, start + i * 1000)));
    await backend.runs.create(runs);
    for (const i of [2, 4, 5, 11]) await backend.runs.patch(runs[i]!.id, { status: 'failed', phase: 'done' });
    const newestFirst = runs.map((r) => r.id).reverse();
    expect(new Set(runs.map((r) => partitions().ofRun(r.id))).size).toBe(PARTITIONS);

    const shown: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await backend.runs.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.runs.length).toBeLessThanOrEqual(3);
      shown.push(...page.runs.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    expect(shown).toEqual(newestFirst);
    expect((await backend.runs.list({ flow: 'g', limit: 100 })).runs.map((r) => r.id)).toEqual(
      newestFirst.filter((_, i) => i % 2 === 0),
    );
    expect((await backend.runs.list({ status: 'failed' })).runs.map((r) => r.id)).toEqual(
      [11, 5, 4, 2].map((i) => runs[i]!.id),
    );
    expect(await backend.runs.counts()).toEqual({
      queued: 16,
      running: 0,
      waiting: 0,
      succeeded: 0,
      failed: 4,
      cancelled: 0,
    });
  });

  it('answers a redelivery as a duplicate and writes nothing, when part of the event lives in another partition', async () => {
    const backend = await open();
    const flow = testFlow('f');
    // An event whose ordered run's line is in another partition than the event itself.
    let eventId = '';
    let orderKey = '';
    for (let i = 0; !eventId; i++) {
      if (partitions().ofLine('f', `k-${i}`) !== partitions().ofEvent('s', `evt-${i}`)) {
        eventId = `evt-${i}`;
        orderKey = `k-${i}`;
      }
    }
    const deliver = async () => {
      const plain = testRun(flow, Date.now(), eventId);
      const ordered = testRun(flow, Date.now(), eventId);
      ordered.orderKey = orderKey;
      backend.placeRuns!([plain, ordered], { source: 's', eventId });
      return {
        runs: [plain, ordered],
        result: await backend.events.ingest(plain.event, [plain, ordered], { dedupWindowMs: 60_000 }),
      };
    };
    const first = await deliver();
    expect(first.result.duplicate).toBe(false);
    expect(first.result.answer.runs.map((r) => r.runId)).toEqual(first.runs.map((r) => r.id));
    const [plain, ordered] = first.runs;
    expect(partitions().ofRun(plain!.id)).not.toBe(partitions().ofRun(ordered!.id));
    expect(await backend.runs.turn(ordered!)).toBeUndefined();

    const again = await deliver();
    expect(again.result).toEqual({ duplicate: true, answer: first.result.answer });
    for (const run of again.runs) expect(await backend.runs.get(run.id)).toBeUndefined();
    expect((await backend.runs.list({})).runs.map((r) => r.id).sort()).toEqual(
      first.runs.map((r) => r.id).sort(),
    );
  });

  it('places and dedups forged event ids and sources (braces, colons, 4 KB) under the partitions own tags', async () => {
    const backend = await open();
    const ids = ['{evil}', 'a:b:{c}', '}{', `x${'{'.repeat(4096)}`];
    for (const id of ids) {
      const ordered = testRun(testFlow('f'), Date.now(), id);
      ordered.event = { ...ordered.event, source: '{src}:x' };
      ordered.orderKey = `{k}:${id}`;
      backend.placeRuns!([ordered], { source: ordered.event.source, eventId: id });
      const first = await backend.events.ingest(ordered.event, [ordered], { dedupWindowMs: 60_000 });
      expect(first.duplicate).toBe(false);
      expect(await backend.runs.get(ordered.id)).toEqual(ordered);
      const again = await backend.events.ingest(ordered.event, [testRun(testFlow('f'), Date.now(), id)], {
        dedupWindowMs: 60_000,
      });
      expect(again).toEqual({ duplicate: true, answer: first.answer });
    }
    expect((await backend.runs.list({})).runs).toHaveLength(ids.length);
  });

  it("resumes a wait registered in another partition than the event's, and finds the match there", async () => {
    const backend = await open();
    const run = testRun(testFlow('w'));
    await backend.runs.create([run]);
    let key = '';
    for (let i = 0; !key; i++)
      if (partitions().ofWait('hr', 'signed', `k-${i}`) !== partitions().ofEvent('hr', 'evt-w'))
        key = `k-${i}`;
    const wait = { source: 'hr', type: 'signed', key, runId: run.id, step: 's0', flow: 'w' };
    expect(await backend.waits.register(wait, { sinceMs: Date.now(), lookbackMs: 0 })).toBeUndefined();

    const event = { ...run.event, id: 'evt-w', source: 'hr', type: 'signed', data: { k: key } };
    const result = await backend.events.ingest(event, [], {
      dedupWindowMs: 60_000,
      waits: { keys: [{ key, lookbackMs: 0 }] },
    });
    expect(result).toEqual({
      duplicate: false,
      answer: { eventId: 'evt-w', runs: [], resumed: [{ flow: 'w', runId: run.id, step: 's0' }] },
    });
    expect(await backend.waits.matched(wait)).toEqual(event);

    // The resume is handed to the run's partition, whichever worker relays it.
    const handled: Task[] = [];
    backend.queue.consume(async (task) => void handled.push(task), {
      concurrency: 2,
      onDead: async () => {},
    });
    await expect
      .poll(() => handled, { timeout: 10_000 })
      .toEqual([{ kind: 'resume', run: run.id, step: 's0' }]);
  });

  it('runs the tasks of every partition in one worker, within its concurrency', async () => {
    const backend = await open();
    const runs = Array.from({ length: 12 }, () => testRun(testFlow()));
    await backend.runs.create(runs);
    await backend.queue.enqueue(runs.map((r) => ({ kind: 'start', run: r.id })));
    let running = 0;
    let most = 0;
    const handled = new Set<string>();
    backend.queue.consume(
      async (task) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 20));
        running -= 1;
        if ('run' in task) handled.add(task.run);
      },
      { concurrency: 2, onDead: async () => {} },
    );
    await expect.poll(() => handled.size, { timeout: 15_000 }).toBe(12);
    expect(most).toBeLessThanOrEqual(2);
    expect(await backend.queue.depth()).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('runs new runs where their start was read, however the partitions race for the free slots', async () => {
    const backend = await open();
    const started = new Set<string>();
    backend.queue.consume(
      async (task) => {
        await new Promise((r) => setTimeout(r, 15));
        if (task.kind === 'start') started.add(task.run);
      },
      { concurrency: 2, onDead: async () => {} },
    );
    const runs = Array.from({ length: 30 }, (_, i) => testRun(testFlow(), Date.now(), `race-${i}`));
    for (const run of runs) {
      backend.placeRuns!([run], { source: run.event.source, eventId: run.event.id });
      await backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 });
    }
    await expect.poll(() => started.size, { timeout: 15_000 }).toBe(30);
    // Each partition's relay read as many starts as slots were free, all at once: the starts
    // that found the slots taken waited for the next one rather than become queue jobs.
    const { queues } = backend.queue as PartitionedTaskQueue;
    const jobs = await Promise.all(queues.map((q) => q.queue.getJobCounts('completed', 'wait', 'active')));
    expect(jobs).toEqual(queues.map(() => ({ completed: 0, wait: 0, active: 0 })));
  });

  it('a worker given a subset of the partitions runs only their tasks; the others wait for theirs', async () => {
    const producer = await open();
    const runs = spread(Array.from({ length: 30 }, () => testRun(testFlow())));
    await producer.runs.create(runs);
    await producer.queue.enqueue(runs.map((r) => ({ kind: 'start', run: r.id })));
    const subset = await pool.open({ partitions: PARTITIONS, consume: [1] });
    const handled = new Set<string>();
    subset.queue.consume(async (task) => void ('run' in task && handled.add(task.run)), {
      concurrency: 4,
      onDead: async () => {},
    });
    const own = runs.filter((r) => partitions().ofRun(r.id) === 1).map((r) => r.id);
    expect(own.length).toBeGreaterThan(0);
    await expect.poll(() => [...handled].sort(), { timeout: 10_000 }).toEqual([...own].sort());
    expect((await producer.queue.depth()).waiting).toBe(30 - own.length);
  });

  /** A failed run, and a replay of it whose order key's line lives in another partition. */
  async function replayElsewhere(backend: Awaited<ReturnType<typeof open>>, n = 1) {
    const flow = testFlow('f');
    const original = testRun(flow);
    backend.placeRuns!([original], { source: 's', eventId: original.event.id });
    await backend.runs.create([original]);
    await backend.runs.patch(original.id, { status: 'failed', phase: 'done' });
    const from = partitions().ofRun(original.id);
    let orderKey = '';
    for (let i = 0; !orderKey; i++) if (partitions().ofLine('f', `k-${i}`) !== from) orderKey = `k-${i}`;
    const replays = Array.from({ length: n }, () => ({
      ...testRun(flow, Date.now(), original.event.id),
      trigger: 'replay' as const,
      replayOf: original.id,
      orderKey,
    }));
    const audit = { action: 'replay' as const, actor: 'ops', at: new Date().toISOString() };
    return { original, replays, audit, from, to: partitions().ofLine('f', orderKey) };
  }

  it("replays a run whose replay joins its order key's line in another partition: claimed once, written there", async () => {
    const backend = await open();
    const { original, replays, audit, from, to } = await replayElsewhere(backend, 4);
    // Four concurrent replays of one run: one claims, every answer names its run.
    const answers = await Promise.all(replays.map((run) => backend.events.replay(original.id, run, audit)));
    const made = answers.filter((a) => a?.created);
    expect(made).toHaveLength(1);
    const replayId = made[0]!.runId;
    for (const answer of answers) expect(answer?.runId).toBe(replayId);
    expect(partitions().ofRun(replayId)).toBe(to);
    const raw = await pool.raw();
    try {
      expect(await raw.exists(keysOf(to).run(replayId))).toBe(1);
      expect(await raw.exists(keysOf(from).replayStaged(original.id))).toBe(0);
      // Handed to the workers in its own partition, first in its line.
      const handedOff = (await raw.xrange(keysOf(to).starts, '-', '+')).map(([, fields]) => fields[1]);
      expect(handedOff).toEqual([replayId]);
    } finally {
      raw.disconnect();
    }
    expect((await backend.runs.get(original.id))?.replayedBy).toBe(replayId);
    expect(await backend.runs.get(replayId)).toMatchObject({ status: 'queued', replayOf: original.id });
    for (const run of replays.filter((r) => r.id !== replayId))
      expect(await backend.runs.get(run.id)).toBeUndefined();
  });

  it('replays runs of every partition at once (on a Cluster, scripts batched per node by their keys)', async () => {
    const backend = await open();
    const flow = testFlow('f');
    const originals = spread(Array.from({ length: 9 }, () => testRun(flow)));
    expect(new Set(originals.map((r) => partitions().ofRun(r.id))).size).toBe(PARTITIONS);
    await backend.runs.create(originals);
    const audit = { action: 'replay' as const, actor: 'ops', at: new Date().toISOString() };
    // Sent in one tick, so ioredis batches them: each must go with its own partition's commands.
    const answers = await Promise.all(
      originals.map((original) =>
        backend.events.replay(
          original.id,
          { ...testRun(flow), trigger: 'replay', replayOf: original.id },
          audit,
        ),
      ),
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer?.created).toBe(true);
      expect(partitions().ofRun(answer!.runId)).toBe(partitions().ofRun(originals[i]!.id));
      expect(await backend.runs.get(answer!.runId)).toMatchObject({ replayOf: originals[i]!.id });
    }
  });

  it('finishes a replay across partitions whose process died between its two writes, once', async () => {
    const backend = await open();
    const { original, replays, audit, from } = await replayElsewhere(backend, 2);
    const [died, retry] = replays as [RunRecord, RunRecord];
    backend.placeRuns!([died], { runId: original.id });
    // The first write only: the claim, the run staged beside the original.
    const logs = (backend.events as PartitionedEventLog).logs;
    expect(await logs[from]!.claimReplay(original.id, died, audit)).toBe(died.id);
    expect(await backend.runs.get(died.id)).toBeUndefined();
    // The next replay request answers the claimed run, and writes it.
    expect(await backend.events.replay(original.id, retry, audit)).toEqual({
      runId: died.id,
      created: false,
    });
    expect(await backend.runs.get(died.id)).toMatchObject({ status: 'queued', replayOf: original.id });
    expect(await backend.runs.get(retry.id)).toBeUndefined();
    // A late repeat of the second write (the dead process's copy) makes nothing, even once the run is gone.
    const raw = await pool.raw();
    try {
      await raw.del(keysOf(partitions().ofRun(died.id)).run(died.id));
    } finally {
      raw.disconnect();
    }
    await logs[partitions().ofRun(died.id)]!.createStagedReplay({
      id: died.id,
      flow: 'f',
      orderKey: died.orderKey!,
      fields: runFields(died),
    });
    await backend.events.finishReplay!(original.id);
    expect(await backend.runs.get(died.id)).toBeUndefined();

    // The engine asks the same when a request finds the run replayed already (its early answer).
    const other = await replayElsewhere(backend, 1);
    const [staged] = other.replays as [RunRecord];
    backend.placeRuns!([staged], { runId: other.original.id });
    await logs[other.from]!.claimReplay(other.original.id, staged, audit);
    await backend.events.finishReplay!(other.original.id);
    expect(await backend.runs.get(staged.id)).toMatchObject({
      status: 'queued',
      replayOf: other.original.id,
    });
  });

  it('refuses a process that asks for another partition count than the hub has', async () => {
    await open();
    await expect(pool.open({ partitions: 2 })).rejects.toMatchObject({ code: 'REDIS_PARTITIONS_MISMATCH' });
    await expect(pool.open()).rejects.toMatchObject({ code: 'REDIS_PARTITIONS_MISMATCH' });
  });
});

describe('a hub that ran before partitions', () => {
  const pool = backendPool('parts-old');
  afterEach(() => pool.dispose());

  it('keeps its one partition: its runs stay readable, and more partitions are refused', async () => {
    const before = await pool.open();
    const run = testRun(testFlow());
    await before.runs.create([run]);
    // As a hub of an earlier version left it: no record of its partition count.
    const raw = await pool.raw();
    await raw.del(new Keys(pool.prefix).meta);
    raw.disconnect();
    await expect(pool.open({ partitions: 3 })).rejects.toMatchObject({ code: 'REDIS_PARTITIONS_MISMATCH' });
    const after = await pool.open();
    expect(await after.runs.get(run.id)).toEqual(run);
    await expect(createRedisBackend({ url: 'redis://127.0.0.1:1', partitions: 0 })).rejects.toMatchObject({
      code: 'REDIS_PARTITIONS_INVALID',
    });
  });
});
