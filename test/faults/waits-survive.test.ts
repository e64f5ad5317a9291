import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { startRedisServer } from '../helpers/redis-server';
import { killChildren } from '../helpers/spawn-baton';
import { until } from '../helpers/until';
import { startVendor } from '../helpers/vendor';
import { dispatcher, faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';

/**
 * Waiting runs on Redis hold nothing in any process: every worker killed
 * with SIGKILL while runs wait, then two gateways receiving matching events
 * at the same moment, and a fresh worker: each wait ends exactly once and
 * each run goes on once.
 */
describe('waits on Redis', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof faultHub>>;
  const prefix = uniquePrefix('waits');
  const sides: Array<Awaited<ReturnType<typeof dispatcher>>> = [];

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await faultHub(vendor.url, [
      orderFlow('paid-then-work', [
        {
          id: 'paid',
          wait: {
            source: 'shop',
            event: 'payment.confirmed',
            key: '{{ event.data.n }}',
            eventKey: '{{ event.data.n }}',
          },
        },
        { id: 'work', action: 'vendor.work', input: { n: '{{ event.data.n }}' } },
      ]),
    ]);
  });
  afterAll(async () => {
    killChildren();
    for (const side of sides) await side.close();
    await deleteKeys(prefix);
    await vendor?.close();
    await hub?.remove();
  });

  it('survive kill -9 of every worker, and end once when two gateways get matching events at once', async () => {
    const env = workerEnv(redisUrl, prefix);
    const workers = await Promise.all([startWorker(hub.path, env), startWorker(hub.path, env)]);
    const [a, b] = [
      await dispatcher(hub.path, { url: redisUrl, prefix }),
      await dispatcher(hub.path, { url: redisUrl, prefix }),
    ];
    sides.push(a!, b!);
    const keys = [1, 2, 3, 4, 5];
    const runIds = [];
    for (const n of keys) runIds.push((await a!.fire({ n })).runs[0]!.runId);
    for (const runId of runIds) {
      await until(async () => {
        const run = await a!.engine.getRun(runId);
        return run?.status === 'waiting' ? run : undefined;
      }, `run ${runId} waiting`);
    }

    for (const worker of workers) worker.proc.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));

    // Each key confirmed twice at once, through two gateways, with two different event ids.
    const confirm = (side: typeof a, n: number, id: string) =>
      side!.engine.dispatch({
        specversion: '1.0',
        id,
        source: 'shop',
        type: 'payment.confirmed',
        time: new Date().toISOString(),
        data: { n },
      });
    const answers = await Promise.all(
      keys.flatMap((n) => [confirm(a, n, `a-${n}`), confirm(b, n, `b-${n}`)]),
    );
    const resumed = answers.flatMap((answer) => answer.resumed ?? []);
    expect(resumed.map((r) => r.runId).sort()).toEqual([...runIds].sort());

    await startWorker(hub.path, env);
    for (const runId of runIds) {
      const run = await a!.engine.waitForRun(runId, { timeoutMs: 45_000 });
      expect(run.status).toBe('succeeded');
      expect(run.steps.find((s) => s.id === 'paid')!.output).toMatchObject({ type: 'payment.confirmed' });
    }
    expect(
      vendor
        .requestsTo('/work')
        .filter((r) => keys.includes(Number((r.body as { n?: unknown } | undefined)?.n))),
    ).toHaveLength(keys.length);
  });

  it('survive Redis killed and restarted on its append-only file (appendfsync always)', async () => {
    const own = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    const PREFIX = '{baton}';
    try {
      const env = workerEnv(own.url, PREFIX);
      const worker = await startWorker(hub.path, env);
      const side = await dispatcher(hub.path, { url: own.url, prefix: PREFIX, durability: 'strict' });
      sides.push(side);
      const keys = [101, 102, 103];
      const runIds = [];
      for (const n of keys) runIds.push((await side.fire({ n })).runs[0]!.runId);
      for (const runId of runIds) {
        await until(async () => {
          const run = await side.engine.getRun(runId);
          return run?.status === 'waiting' ? run : undefined;
        }, `run ${runId} waiting`);
      }
      worker.proc.kill('SIGKILL');
      await worker.exited;
      await own.kill9();
      await own.restart();

      await startWorker(hub.path, env);
      const answers = await until(async () => {
        try {
          return await Promise.all(
            keys.map((n) =>
              side.engine.dispatch({
                specversion: '1.0',
                id: `after-restart-${n}`,
                source: 'shop',
                type: 'payment.confirmed',
                time: new Date().toISOString(),
                data: { n },
              }),
            ),
          );
        } catch {
          return undefined; // Redis is still coming back: try again.
        }
      }, 'events accepted after the restart');
      expect(
        answers
          .flatMap((a) => a.resumed ?? [])
          .map((r) => r.runId)
          .sort(),
      ).toEqual([...runIds].sort());
      for (const runId of runIds) {
        expect((await side.engine.waitForRun(runId, { timeoutMs: 45_000 })).status).toBe('succeeded');
      }
    } finally {
      killChildren();
      await own.stop();
    }
  });
});
