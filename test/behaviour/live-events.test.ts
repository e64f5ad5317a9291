import { type RunningGateway, startGateway } from '@baton/gateway';
import { createHubEngine, createRedisBackend, type Engine, type Hub, loadHub } from '@baton/runtime';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposableRedisBackend, redisUrl, uniquePrefix } from '../helpers/redis';
import { reserveHub } from '../helpers/reserve-hub';

/** One Server-Sent Event. */
interface Message {
  event: string;
  data: Record<string, unknown>;
}

/** Reads `GET /api/events` of a gateway: `next(match)` waits for a matching event and answers every one seen so far. */
async function eventStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: Message[] = [];
  let buffer = '';
  return {
    seen,
    async next(match: (message: Message) => boolean): Promise<Message> {
      for (;;) {
        const found = seen.find(match);
        if (found) return found;
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended; saw ${seen.map((m) => m.event)}`);
        buffer += value;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks) {
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) seen.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    },
    close: () => controller.abort(),
  };
}

/**
 * On Redis a gateway's live stream carries the runs every process moves:
 * a worker in another process (here another backend on the same prefix,
 * as `baton worker` holds), and its own, each event once.
 */
describe('the live stream of a gateway on Redis', () => {
  let folder: Awaited<ReturnType<typeof reserveHub>>;
  let hub: Hub;
  let gateway: RunningGateway;
  let worker: { engine: Engine; close(): Promise<void> };
  const prefix = uniquePrefix('live');
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    folder = await reserveHub(['stock', 'stock-again']);
    hub = await loadHub({ configPath: `${folder.path}/baton.config.json`, env: {} });
    const backend = await disposableRedisBackend({ prefix, log });
    gateway = await startGateway({ hub, backend, port: 0, worker: false, log });
    const workerBackend = await createRedisBackend({ url: redisUrl, prefix, log });
    const engine = createHubEngine(hub, workerBackend, { log });
    engine.startWorker({ concurrency: 2 });
    worker = {
      engine,
      async close() {
        await engine.stop({ drainMs: 1_000 });
        await workerBackend.close();
      },
    };
  });
  afterAll(async () => {
    await worker?.close();
    await gateway?.close({ drainMs: 1_000 });
    await folder?.remove();
  });

  const trigger = async (sku: string) => {
    const answer = await fetch(`${gateway.url}/api/flows/order/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { sku } }),
    });
    return ((await answer.json()) as { runId: string }).runId;
  };
  const eventsOf = (stream: Awaited<ReturnType<typeof eventStream>>, runId: string) =>
    stream.seen.filter((m) => m.data.runId === runId).map((m) => `${m.event} ${m.data.step ?? ''}`.trim());
  const once = [
    'run.started',
    'step.started stock',
    'step.ended stock',
    'step.started stock-again',
    'step.ended stock-again',
    'run.ended',
  ];

  it('greets as fleet-wide and carries the runs of a worker in another process', async () => {
    const stream = await eventStream(gateway.url);
    try {
      const hello = await stream.next((m) => m.event === 'hello');
      expect(hello.data).toMatchObject({ backend: 'redis', fleetWide: true, safetyPollMs: 60_000 });
      const runId = await trigger('A-1');
      const ended = await stream.next((m) => m.event === 'run.ended' && m.data.runId === runId);
      expect(ended.data).toMatchObject({ flow: 'order', status: 'succeeded' });
      expect(eventsOf(stream, runId)).toEqual(once);
    } finally {
      stream.close();
    }
  });

  it("carries the gateway's own runs once each, not once more as they come back from Redis", async () => {
    await worker.engine.stop({ drainMs: 1_000 });
    gateway.engine.startWorker({ concurrency: 2 });
    const stream = await eventStream(gateway.url);
    try {
      await stream.next((m) => m.event === 'hello');
      const runId = await trigger('B-1');
      await stream.next((m) => m.event === 'run.ended' && m.data.runId === runId);
      // Published by another process after this run's echo was sent: it comes after the echo would have.
      const marker = await createRedisBackend({ url: redisUrl, prefix, log });
      try {
        marker.live!.publish({ type: 'run.started', runId: 'marker', flow: 'order' });
        await stream.next((m) => m.data.runId === 'marker');
      } finally {
        await marker.close();
      }
      expect(eventsOf(stream, runId)).toEqual(once);
    } finally {
      stream.close();
    }
  });
});
