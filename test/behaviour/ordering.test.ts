import { compileFlow, type Flow, flowSchema, type RunRecord } from '@baton/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { latch, probe } from '../helpers/probe-connector';
import { until } from '../helpers/until';
import { backendsWithCluster } from './backends';

/**
 * The ordering key (CONTRACT.md "Limits towards providers"): a flow's runs
 * with the same `trigger.orderKey` run one at a time, in arrival order;
 * runs with different keys, or none, run in parallel. A run waiting for its
 * turn stays queued and says behind which run.
 */
describe.each(backendsWithCluster)('ordering keys on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  /** A flow whose runs are ordered by customer; each run's call is the probe action named after the customer. */
  async function start(steps?: object[]) {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [
        {
          id: 'orders',
          trigger: { source: 'shop', event: 'order.*', orderKey: '{{ event.data.customer }}' },
          steps: steps ?? [
            {
              id: 'sync',
              action: 'probe.do',
              retry: { maxAttempts: 3, initialInterval: '30ms' },
              input: { __action: '{{ event.data.customer }}', n: '{{ event.data.n }}' },
            },
          ],
        },
      ],
    });
    const h = hub;
    const fire = async (customer: string | undefined, n: number, type = 'order.created') => {
      const { runs } = await h.fire({ source: 'shop', type, data: { customer, n } });
      return runs[0]!.runId;
    };
    return { p, h, fire };
  }

  const ended = (h: TestHub, runId: string) => h.engine.waitForRun(runId, { timeoutMs: 20_000 });
  const called = (p: ReturnType<typeof probe>, runId: string) =>
    until(async () => (p.calls.some((c) => c.runId === runId) ? true : undefined), `a call of ${runId}`);
  /** True when `later`'s first step started only after `earlier` ended. */
  const after = (earlier: RunRecord, later: RunRecord) =>
    Date.parse(later.steps[0]!.attempts[0]!.startedAt) >= Date.parse(earlier.endedAt!) &&
    Date.parse(later.startedAt!) >= Date.parse(earlier.endedAt!);

  it('runs one key at a time in arrival order, while other keys run in parallel', async () => {
    const { p, h, fire } = await start();
    const gate = latch();
    p.script('ann', [{ waitFor: gate.promise }, { ok: { second: true } }]);
    const ann1 = await fire('ann', 1);
    const ann2 = await fire('ann', 2, 'order.cancelled');
    const bob1 = await fire('bob', 1);
    await called(p, ann1);
    // Bob's run is not held up by Ann's.
    expect((await ended(h, bob1)).status).toBe('succeeded');
    const waiting = await h.engine.getRun(ann2);
    expect(waiting).toMatchObject({
      status: 'queued',
      orderKey: 'ann',
      waitingFor: { orderKey: 'ann', behind: ann1, ahead: 1 },
    });
    expect((await h.engine.getRun(ann1))?.waitingFor).toBeUndefined();
    expect(p.calls.filter((c) => c.runId === ann2)).toHaveLength(0);

    gate.resolve();
    const [first, second] = [await ended(h, ann1), await ended(h, ann2)];
    expect([first.status, second.status]).toEqual(['succeeded', 'succeeded']);
    expect(after(first, second)).toBe(true);
    expect(p.callsOf('ann').map((c) => c.runId)).toEqual([ann1, ann2]);
  });

  it('keeps the others waiting while the first is retried, and lets the next go after it failed', async () => {
    const { p, h, fire } = await start();
    p.script('ann', [
      { retryable: 'busy' },
      { retryable: 'busy' },
      { retryable: 'busy' },
      { ok: { second: true } },
    ]);
    const ann1 = await fire('ann', 1);
    const ann2 = await fire('ann', 2);
    const [first, second] = [await ended(h, ann1), await ended(h, ann2)];
    expect(first.status).toBe('failed');
    expect(first.steps[0]!.attempts).toHaveLength(3);
    expect(second.status).toBe('succeeded');
    expect(after(first, second)).toBe(true);
    expect(p.callsOf('ann').map((c) => c.runId)).toEqual([ann1, ann1, ann1, ann2]);
  });

  it('takes a run cancelled while waiting for its turn out of the line, and a cancelled first lets the next go', async () => {
    const { p, h, fire } = await start();
    p.script('ann', [{ hang: true }, { ok: {} }]);
    const ann1 = await fire('ann', 1);
    const ann2 = await fire('ann', 2);
    const ann3 = await fire('ann', 3);
    await called(p, ann1);
    expect((await h.engine.getRun(ann3))?.waitingFor).toMatchObject({ behind: ann1, ahead: 2 });

    expect((await h.engine.cancel(ann2)).status).toBe('cancelled');
    expect((await h.engine.getRun(ann3))?.waitingFor).toMatchObject({ behind: ann1, ahead: 1 });
    await h.engine.cancel(ann1);
    const third = await ended(h, ann3);
    expect(third.status).toBe('succeeded');
    expect(p.callsOf('ann').map((c) => c.runId)).toEqual([ann1, ann3]);
  });

  it('puts a replay at the end of its key’s line', async () => {
    const { p, h, fire } = await start();
    const gate = latch();
    p.script('ann', [{ fatal: 'declined' }, { waitFor: gate.promise }, { ok: { replayed: true } }]);
    const ann1 = await fire('ann', 1);
    expect((await ended(h, ann1)).status).toBe('failed');
    const ann2 = await fire('ann', 2);
    await called(p, ann2);
    const { runId: replay } = await h.engine.replay(ann1);
    expect(await h.engine.getRun(replay)).toMatchObject({
      status: 'queued',
      orderKey: 'ann',
      waitingFor: { behind: ann2, ahead: 1 },
    });
    gate.resolve();
    const [second, third] = [await ended(h, ann2), await ended(h, replay)];
    expect(third.status).toBe('succeeded');
    expect(after(second, third)).toBe(true);
  });

  it('replays failed runs on a version whose order key changed: each joins the new key’s line, once', async () => {
    const { p, h, fire } = await start();
    const customers = Array.from({ length: 6 }, (_, i) => `c${i}`);
    for (const c of customers) p.script(c, [{ fatal: 'declined' }, { ok: { replayed: true } }]);
    const failed = [];
    for (const [n, c] of customers.entries()) failed.push(await fire(c, n));
    for (const runId of failed) expect((await ended(h, runId)).status).toBe('failed');
    // The new version orders every run on one key: on a partitioned hub that line lives in one
    // partition, and most of the failed runs in others.
    const v2 = compileFlow(
      flowSchema.parse({
        id: 'orders',
        trigger: { source: 'shop', event: 'order.*', orderKey: 'everyone' },
        steps: [{ id: 'sync', action: 'probe.do', input: { __action: '{{ event.data.customer }}' } }],
      }) as Flow,
    );
    await h.engine.reload([v2]);
    const replays = [];
    for (const runId of failed) {
      // Asked twice at once, as a retried request would: one replay.
      const [a, b] = await Promise.all([h.engine.replay(runId), h.engine.replay(runId)]);
      expect(a.runId).toBe(b.runId);
      replays.push(a.runId);
    }
    const done = [];
    for (const runId of replays) done.push(await ended(h, runId));
    for (const run of done) expect(run).toMatchObject({ status: 'succeeded', orderKey: 'everyone' });
    // One at a time, in the order they were replayed.
    for (let i = 1; i < done.length; i++) expect(after(done[i - 1]!, done[i]!)).toBe(true);
    for (const [i, runId] of failed.entries())
      expect((await h.engine.getRun(runId))?.replayedBy).toBe(replays[i]);
  });

  it('leaves runs whose key is empty unordered, and orders runs started by hand', async () => {
    const { p, h, fire } = await start();
    const gate = latch();
    p.script('do', [{ waitFor: gate.promise }]);
    p.script('', [{ waitFor: gate.promise }]);
    const none1 = await fire(undefined, 1);
    const none2 = await fire(undefined, 2);
    const empty = await fire('', 3);
    // No key, so neither waits for the other.
    await Promise.all([called(p, none1), called(p, none2), called(p, empty)]);
    expect((await h.engine.getRun(none1))?.orderKey).toBeUndefined();
    expect((await h.engine.getRun(empty))?.orderKey).toBeUndefined();
    gate.resolve();

    const hold = latch();
    p.script('cy', [{ waitFor: hold.promise }, { ok: {} }]);
    const { runId: manual1 } = await h.engine.trigger('orders', { customer: 'cy', n: 1 });
    const { runId: manual2 } = await h.engine.trigger('orders', { customer: 'cy', n: 2 });
    await called(p, manual1);
    expect((await h.engine.getRun(manual2))?.waitingFor).toMatchObject({ orderKey: 'cy', behind: manual1 });
    hold.resolve();
    expect((await ended(h, manual2)).status).toBe('succeeded');
  });

  it('holds the key while the first run waits for an approval', async () => {
    const { p, h, fire } = await start([
      { id: 'ok', approval: { title: 'Refund {{ event.data.customer }}?' } },
      { id: 'sync', action: 'probe.do', input: { __action: '{{ event.data.customer }}' } },
    ]);
    const ann1 = await fire('ann', 1);
    const ann2 = await fire('ann', 2);
    await until(
      async () => ((await h.engine.getRun(ann1))?.status === 'waiting' ? true : undefined),
      'waiting',
    );
    expect((await h.engine.getRun(ann2))?.waitingFor).toMatchObject({ behind: ann1 });
    await h.engine.decide(ann1, 'ok', { decision: 'approve', by: 'ops' });
    const first = await ended(h, ann1);
    await until(
      async () => ((await h.engine.getRun(ann2))?.status === 'waiting' ? true : undefined),
      'the second run waiting',
    );
    const second = await h.engine.getRun(ann2);
    expect(Date.parse(second!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(first.endedAt!));
    expect(p.callsOf('ann').map((c) => c.runId)).toEqual([ann1]);
  });

  it('keys a long value by its SHA-256', async () => {
    const { h, fire } = await start();
    const runId = await fire('x'.repeat(300), 1);
    expect((await ended(h, runId)).orderKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
