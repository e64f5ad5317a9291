import type { RunRecord } from '@baton/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder } from '../helpers/cli';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren } from '../helpers/spawn-baton';
import { dispatcher, startWorker, workerEnv } from './fault-hub';

/** A connector whose one action sleeps as long as asked, and fails its first attempt when asked to. */
const sleepyConnectorModule = `
import { defineAction, defineConnector, RetryableError } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'sleepy',
  config: z.object({}),
  actions: {
    work: defineAction({
      input: z.object({ ms: z.number(), failFirst: z.boolean() }),
      output: z.object({ pid: z.number() }),
      async run({ input, run }) {
        if (input.failFirst && run.attempt === 1) throw new RetryableError('busy, try again');
        await new Promise((resolve) => setTimeout(resolve, input.ms));
        return { pid: process.pid };
      },
    }),
  },
});
`;

/** A small seeded generator (mulberry32): the same events on every run of the test. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENTS = 200;
const KEYS = 10;

/**
 * The acceptance test for ordering keys: 200 events for 10
 * customers through two worker processes on one Redis, each run two steps
 * of random latency (some retried): per customer, every run's first step
 * started only after the previous run of that customer ended, in the order
 * the events were acknowledged; across customers, runs overlapped. Every
 * fact is read from the run records, so it does not depend on timing.
 */
describe('ordering keys across two workers', () => {
  const prefix = uniquePrefix('ordering');
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  let side: Awaited<ReturnType<typeof dispatcher>>;
  let workers: Array<Awaited<ReturnType<typeof startWorker>>>;

  beforeAll(async () => {
    const latency = { ms: '{{ event.data.ms1 }}', failFirst: '{{ event.data.failFirst }}' };
    hub = await hubFolder({
      'baton.config.json': {
        connectors: { sleepy: { use: './sleepy.mjs', config: {} } },
        sources: {
          shop: { verify: { scheme: 'standard-webhooks', secret: 'whsec_ZmF1bHQtdGVzdC1zZWNyZXQtMTIzNDU2' } },
        },
      },
      'sleepy.mjs': sleepyConnectorModule,
      'flows/customer-sync.json': {
        id: 'customer-sync',
        trigger: { source: 'shop', event: 'order.*', orderKey: '{{ event.data.customer }}' },
        steps: [
          {
            id: 'first',
            action: 'sleepy.work',
            input: latency,
            retry: { maxAttempts: 3, initialInterval: '20ms' },
          },
          { id: 'second', action: 'sleepy.work', input: { ms: '{{ event.data.ms2 }}', failFirst: false } },
        ],
      },
    });
    const env = workerEnv(redisUrl, prefix);
    workers = await Promise.all([startWorker(hub.path, env, 4), startWorker(hub.path, env, 4)]);
    side = await dispatcher(hub.path, { url: redisUrl, prefix });
  });
  afterAll(async () => {
    killChildren();
    await side?.close();
    await deleteKeys(prefix);
    await hub?.remove();
  });

  it('runs each key one at a time in arrival order, and different keys in parallel', async () => {
    const next = random(17);
    const arrived: Array<{ runId: string; customer: string }> = [];
    // One at a time: each event is acknowledged (recorded in its key's line) before the next is sent,
    // so arrival order is the order of this loop.
    for (let i = 0; i < EVENTS; i++) {
      const customer = `customer-${Math.floor(next() * KEYS)}`;
      const answer = await side.engine.dispatch({
        specversion: '1.0',
        id: `order-event-${i}`,
        source: 'shop',
        type: i % 3 === 2 ? 'order.cancelled' : 'order.created',
        time: new Date().toISOString(),
        data: {
          customer,
          ms1: Math.floor(next() * 25) + 2,
          ms2: Math.floor(next() * 25) + 2,
          failFirst: next() < 0.15,
        },
      });
      expect(answer.runs).toHaveLength(1);
      arrived.push({ runId: answer.runs[0]!.runId, customer });
    }

    const runs = new Map<string, RunRecord>();
    for (const { runId } of arrived)
      runs.set(runId, await side.engine.waitForRun(runId, { timeoutMs: 120_000 }));
    const all = [...runs.values()];
    expect(all.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error?.code])).toEqual(
      [],
    );
    expect(all.every((r) => r.orderKey?.startsWith('customer-'))).toBe(true);
    // Some first steps were retried, and the runs behind them waited through it.
    expect(all.filter((r) => r.steps[0]!.attempts.length === 2).length).toBeGreaterThan(10);

    const time = (iso: string | undefined) => Date.parse(iso!);
    const firstCall = (run: RunRecord) =>
      Math.min(...run.steps.flatMap((s) => s.attempts.map((a) => time(a.startedAt))));
    const lastCall = (run: RunRecord) =>
      Math.max(...run.steps.flatMap((s) => s.attempts.map((a) => time(a.endedAt))));
    const byKey = new Map<string, RunRecord[]>();
    for (const { runId, customer } of arrived)
      byKey.set(customer, [...(byKey.get(customer) ?? []), runs.get(runId)!]);
    expect(byKey.size).toBe(KEYS);
    const outOfOrder: string[] = [];
    for (const [customer, line] of byKey) {
      for (let j = 1; j < line.length; j++) {
        const previous = line[j - 1]!;
        const run = line[j]!;
        // The previous run of the key ended, its calls included, before this one started at all.
        if (lastCall(previous) > time(previous.endedAt))
          outOfOrder.push(`${previous.id} called after it ended`);
        if (time(run.startedAt) < time(previous.endedAt) || firstCall(run) < time(previous.endedAt)) {
          outOfOrder.push(
            `${customer}: run ${j} (${run.id}) started before run ${j - 1} (${previous.id}) ended`,
          );
        }
      }
    }
    expect(outOfOrder).toEqual([]);

    // Across keys, runs overlapped: some run started while a run of another key had not ended.
    let overlaps = 0;
    for (const a of all) {
      for (const b of all) {
        if (a.orderKey === b.orderKey) continue;
        if (time(a.startedAt) < time(b.endedAt) && time(b.startedAt) < time(a.endedAt)) overlaps += 1;
      }
    }
    expect(overlaps).toBeGreaterThan(0);
    // Both workers took part.
    const pids = new Set(all.flatMap((r) => r.steps.map((s) => (s.output as { pid: number }).pid)));
    expect(pids).toEqual(new Set(workers.map((w) => w.pid)));
    // Each key's 20 runs go one after another: on a busy machine that takes a while.
  }, 180_000);
});
