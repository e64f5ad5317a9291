import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren } from '../helpers/spawn-baton';
import { startVendor } from '../helpers/vendor';
import { dispatcher, faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';

/** Two worker processes on one Redis: both take work, and a breaker one opens holds for both. */
describe('two workers', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof faultHub>>;
  const prefix = uniquePrefix('shared');
  let side: Awaited<ReturnType<typeof dispatcher>>;
  let workers: Array<Awaited<ReturnType<typeof startWorker>>>;

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await faultHub(
      vendor.url,
      [
        orderFlow('work', [{ id: 'work', action: 'vendor.work', input: { n: '{{ event.data.n }}' } }]),
        orderFlow('pay', [
          {
            id: 'pay',
            action: 'vendor.flaky',
            retry: { maxAttempts: 1 },
            input: { n: '{{ event.data.n }}' },
            fallback: [{ action: 'backup.backup' }],
          },
        ]),
      ].map((flow, i) => ({
        ...flow,
        trigger: { source: 'shop', event: i === 0 ? 'order.created' : 'payment.due' },
      })),
      { failureThreshold: 3, resetAfter: '1m' },
    );
    const env = workerEnv(redisUrl, prefix);
    workers = await Promise.all([startWorker(hub.path, env, 4), startWorker(hub.path, env, 4)]);
    side = await dispatcher(hub.path, { url: redisUrl, prefix });
  });
  afterAll(async () => {
    killChildren();
    await side?.close();
    await deleteKeys(prefix);
    await vendor.close();
    await hub.remove();
  });

  it('share the load: a burst of runs is spread over both', async () => {
    vendor.delay('/work', 50);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => side.fire({ n })));
    const runs = await Promise.all(
      answers.map((a) => side.engine.waitForRun(a.runs[0]!.runId, { timeoutMs: 30_000 })),
    );
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const work = vendor.requestsTo('/work');
    expect(new Set(work.map((r) => r.key)).size).toBe(40);
    const byWorker = new Map(workers.map((w) => [w.pid, work.filter((r) => r.pid === w.pid).length]));
    for (const [pid, count] of byWorker) expect(count, `worker ${pid}`).toBeGreaterThan(0);
  });

  it('share one breaker: failures counted by either open it for both, and calls reroute to the fallback', async () => {
    vendor.fail('/flaky');
    const pay = (n: number) =>
      side.engine.dispatch({
        specversion: '1.0',
        id: `pay-${n}`,
        source: 'shop',
        type: 'payment.due',
        time: new Date().toISOString(),
        data: { n },
      });
    const opening = [];
    for (let n = 0; n < 3; n++) {
      const { runs } = await pay(n);
      opening.push(await side.engine.waitForRun(runs[0]!.runId, { timeoutMs: 30_000 }));
      // Longer than a worker trusts its cached breaker read.
      await new Promise((r) => setTimeout(r, 300));
    }
    expect((await side.engine.breakerStates()).vendor).toMatchObject({ state: 'open', failures: 3 });

    // A burst both workers take part in: neither calls the failing vendor again.
    vendor.delay('/backup', 50);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => pay(3 + i)));
    const burst = await Promise.all(
      answers.map((a) => side.engine.waitForRun(a.runs[0]!.runId, { timeoutMs: 30_000 })),
    );
    expect([...opening, ...burst].every((r) => r.status === 'succeeded')).toBe(true);
    expect(vendor.requestsTo('/flaky')).toHaveLength(3);
    expect(burst.map((r) => r.steps[0]!.attempts[0]!.error?.code)).toEqual(Array(12).fill('BREAKER_OPEN'));
    const burstKeys = new Set(burst.map((r) => `${r.id}:pay:route-1`));
    const served = vendor.requestsTo('/backup').filter((r) => burstKeys.has(r.key!));
    expect(served).toHaveLength(12);
    expect(new Set(served.map((r) => r.pid))).toEqual(new Set(workers.map((w) => w.pid)));
  });
});
