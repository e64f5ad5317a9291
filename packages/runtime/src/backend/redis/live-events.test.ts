import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../model/events';
import type { LiveEventBus } from '../types';
import { backendPool, rawClient, startRedisServer, uniquePrefix } from './_test-redis';
import { createRedisBackend, type RedisBackend } from './index';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(check: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await pause(20);
  }
}

/** Everything a bus delivers to one subscriber, with the origin of each event. */
async function listen(bus: LiveEventBus) {
  const seen: Array<{ event: EngineEvent; origin: string }> = [];
  let gaps = 0;
  const subscription = bus.subscribe(
    (event, origin) => seen.push({ event, origin }),
    () => gaps++,
  );
  return {
    seen,
    gaps: () => gaps,
    ready: await subscription.ready,
    close: () => subscription.close(),
    runIds: () => seen.map((s) => s.event.runId),
  };
}

const started = (runId: string): EngineEvent => ({ type: 'run.started', runId, flow: 'f' });

describe('live events over Redis', () => {
  const pool = backendPool('live');
  afterEach(() => pool.dispose());

  it("reach every process of the hub, each with its publisher's origin, bounded", async () => {
    const worker = await pool.open();
    const gateway = await pool.open();
    const listener = await listen(gateway.live!);
    expect(listener.ready).toBe(true);
    expect(worker.live!.fleetWide).toBe(true);
    expect(worker.live!.origin).not.toBe(gateway.live!.origin);

    const huge = 'x'.repeat(100_000);
    worker.live!.publish(started('r1'));
    worker.live!.publish({
      type: 'step.ended',
      runId: 'r1',
      flow: 'f',
      step: 'charge',
      status: 'failed',
      durationMs: 12,
      error: {
        name: 'HttpError',
        code: 'HTTP_500',
        message: huge,
        retryable: true,
        details: { body: huge },
        cause: { name: 'Error', code: 'CAUSE', message: huge, retryable: false },
      },
    });
    gateway.live!.publish(started('r2'));

    await until(() => (listener.seen.length === 3 ? true : undefined), 'three events');
    const byRun = (id: string) => listener.seen.filter((s) => s.event.runId === id);
    expect(byRun('r1').map((s) => s.origin)).toEqual([worker.live!.origin, worker.live!.origin]);
    expect(byRun('r2').map((s) => s.origin)).toEqual([gateway.live!.origin]);
    const ended = byRun('r1')[1]!.event as Extract<EngineEvent, { type: 'step.ended' }>;
    expect(ended).toMatchObject({ type: 'step.ended', step: 'charge', status: 'failed', durationMs: 12 });
    expect(ended.error).toEqual({
      name: 'HttpError',
      code: 'HTTP_500',
      message: `${'x'.repeat(499)}…`,
      retryable: true,
    });
  });

  it('stay within their hub: another prefix on the same Redis hears none of them', async () => {
    const worker = await pool.open();
    const gateway = await pool.open();
    const otherPool = backendPool('live-other');
    try {
      const other = await otherPool.open();
      const ours = await listen(gateway.live!);
      const theirs = await listen(other.live!);
      worker.live!.publish(started('ours'));
      await until(() => (ours.runIds().includes('ours') ? true : undefined), 'our event');
      // Published after ours arrived: had the other hub heard ours, it would have come first.
      other.live!.publish(started('theirs'));
      await until(() => (theirs.runIds().includes('theirs') ? true : undefined), 'their event');
      expect(theirs.runIds()).toEqual(['theirs']);
      expect(ours.runIds()).toEqual(['ours']);
    } finally {
      await otherPool.dispose();
    }
  });

  it('batch a burst into few messages, and stop receiving once the last subscriber left', async () => {
    const worker = await pool.open();
    const gateway = await pool.open();
    const first = await listen(gateway.live!);
    const second = await listen(gateway.live!);
    const wire = rawClient();
    const messages: string[] = [];
    wire.on('message', (_channel: string, message: string) => messages.push(message));
    await wire.subscribe(`${pool.prefix}:live`);
    for (let i = 0; i < 500; i++) worker.live!.publish(started(`burst-${i}`));
    await until(() => (second.seen.length === 500 ? true : undefined), 'the burst');
    await until(() => (messages.length > 0 ? true : undefined), 'the messages on the channel');
    wire.disconnect();
    // One PUBLISH per gathered batch, each naming its publisher once.
    expect(messages.length).toBeLessThan(10);
    expect(JSON.parse(messages[0]!)).toMatchObject({ o: worker.live!.origin, e: expect.any(Array) });
    expect(first.runIds()).toEqual(second.runIds());
    expect(first.runIds().slice(0, 3)).toEqual(['burst-0', 'burst-1', 'burst-2']);
    first.close();
    second.close();
    const again = await listen(gateway.live!);
    worker.live!.publish(started('after'));
    await until(() => (again.seen.length === 1 ? true : undefined), 'the event after');
    expect([first.seen.length, second.seen.length]).toEqual([500, 500]);
  });
});

describe('live events when Redis dies', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  const opened: RedisBackend[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close().catch(() => {})));
    await server?.stop();
  });

  it('publishing never throws and counts what it dropped; the subscriber reconnects and says events were missed', async () => {
    server = await startRedisServer(['--appendonly', 'yes']);
    const prefix = uniquePrefix('live-outage');
    const log = pino({ level: 'silent' });
    const worker = await createRedisBackend({ url: server.url, prefix, log });
    const gateway = await createRedisBackend({ url: server.url, prefix, log });
    opened.push(worker, gateway);
    const listener = await listen(gateway.live!);
    worker.live!.publish(started('before'));
    await until(() => (listener.seen.length === 1 ? true : undefined), 'the event before');

    await server.kill();
    for (let i = 0; i < 10; i++) expect(() => worker.live!.publish(started(`lost-${i}`))).not.toThrow();
    await until(() => (worker.live!.dropped >= 10 ? true : undefined), 'the dropped events counted');

    await server.restart();
    await until(() => (listener.gaps() > 0 ? true : undefined), 'the gap reported');
    await until(
      () => {
        worker.live!.publish(started('after'));
        return listener.runIds().includes('after') ? true : undefined;
      },
      'an event after the restart',
      15_000,
    );
    expect(listener.runIds().filter((id) => id.startsWith('lost-'))).toEqual([]);
  });
});
