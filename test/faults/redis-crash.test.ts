import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../helpers/redis-server';
import { killChildren } from '../helpers/spawn-baton';
import { startVendor } from '../helpers/vendor';
import { dispatcher, faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';

const PREFIX = '{baton}';

/**
 * Redis itself killed (SIGKILL) and restarted on its append-only file,
 * with a worker process running and the test process acknowledging events
 * as the gateway does (engine.dispatch): every acknowledged event runs, and
 * its side effect happens once.
 */
describe('Redis killed and restarted', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof faultHub>>;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  let side: Awaited<ReturnType<typeof dispatcher>> | undefined;

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await faultHub(vendor.url, [
      orderFlow('record', [{ id: 'record', action: 'vendor.record', input: { event: '{{ event.id }}' } }]),
    ]);
  });
  afterEach(async () => {
    killChildren();
    await side?.close().catch(() => {});
    await redis?.stop();
  });
  afterAll(async () => {
    await vendor.close();
    await hub.remove();
  });

  interface Ack {
    eventId: string;
    runId: string;
    at: number;
  }

  /** Senders dispatching events until stopped; records what was acknowledged and what was refused. */
  function keepSending(send: NonNullable<typeof side>, label: string, senders = 6) {
    const acknowledged: Ack[] = [];
    const refused: unknown[] = [];
    let running = true;
    const done = Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        for (let i = 0; running; i++) {
          const eventId = `${label}-${s}-${i}`;
          try {
            const { runs } = await send.fire({}, eventId);
            acknowledged.push({ eventId, runId: runs[0]!.runId, at: Date.now() });
          } catch (error) {
            refused.push(error);
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      }),
    );
    return {
      acknowledged,
      refused,
      async stop() {
        running = false;
        await done;
      },
    };
  }

  async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (await check()) return;
      } catch {
        // Redis may still be coming back.
      }
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function redisIsBack() {
    await until(async () => {
      await side!.backend.ping();
      return true;
    });
  }

  /** Each event ran once: its run succeeded and the vendor made one effect for it. */
  async function expectProcessedOnce(acks: readonly Ack[]) {
    const current = side!;
    for (const ack of acks) {
      const run = await current.engine.waitForRun(ack.runId, { timeoutMs: 60_000 });
      expect(run.status, ack.eventId).toBe('succeeded');
      const effects = vendor
        .effectsOn('/record')
        .filter((e) => (e.body as { event: string }).event === ack.eventId);
      expect(effects, ack.eventId).toHaveLength(1);
      expect(effects[0]!.key).toBe(`${ack.runId}:record`);
    }
  }

  it('appendfsync always (strict mode): every acknowledged event is processed exactly once', async () => {
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    const worker = await startWorker(hub.path, workerEnv(redis.url, PREFIX));
    side = await dispatcher(hub.path, { url: redis.url, prefix: PREFIX, durability: 'strict' });
    const traffic = keepSending(side, 'always');
    await until(() => traffic.acknowledged.length >= 60);
    await redis.kill9();
    const refusedBefore = traffic.refused.length;
    await until(() => traffic.refused.length >= refusedBefore + 6);
    await traffic.stop();
    for (const error of traffic.refused) expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });

    await redis.restart();
    await redisIsBack();
    await expectProcessedOnce(traffic.acknowledged);
    expect(worker.proc.exitCode).toBeNull();
  });

  it('appendfsync everysec: what was acknowledged before the last fsync window survives; nothing runs twice', async () => {
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec']);
    await startWorker(hub.path, workerEnv(redis.url, PREFIX));
    side = await dispatcher(hub.path, { url: redis.url, prefix: PREFIX });
    const traffic = keepSending(side, 'everysec');
    await until(() => traffic.acknowledged.length >= 60);
    await redis.kill9();
    const killedAt = Date.now();
    await traffic.stop();
    await redis.restart();
    await redisIsBack();

    // Older than the fsync window (everysec fsyncs each second; 2 s of margin): guaranteed.
    const settled = traffic.acknowledged.filter((a) => a.at < killedAt - 2000);
    const recent = traffic.acknowledged.filter((a) => a.at >= killedAt - 2000);
    await expectProcessedOnce(settled);
    // Within the window: a machine crash could lose these; each one that exists runs once.
    for (const ack of recent) {
      if (!(await side.engine.getRun(ack.runId))) continue;
      await expectProcessedOnce([ack]);
    }
  });

  it('Redis unreachable: dispatch fails fast with BACKEND_UNAVAILABLE; the backlog drains once it is back', async () => {
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    const worker = await startWorker(hub.path, { ...workerEnv(redis.url, PREFIX) }, 1);
    side = await dispatcher(hub.path, { url: redis.url, prefix: PREFIX });
    vendor.delay('/record', 100);
    const acknowledged: Ack[] = [];
    for (let i = 0; i < 20; i++) {
      const eventId = `backlog-${i}`;
      const { runs } = await side.fire({}, eventId);
      acknowledged.push({ eventId, runId: runs[0]!.runId, at: Date.now() });
    }
    await redis.kill9();
    // No offline queue: this settles while Redis is still down (it is restarted only afterwards).
    await expect(side.fire({}, 'while-down')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    await expect(side.backend.ping()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(worker.proc.exitCode).toBeNull();

    await redis.restart();
    await redisIsBack();
    vendor.delay('/record', 0);
    await expectProcessedOnce(acknowledged);
    expect(worker.proc.exitCode).toBeNull();
  });
});
