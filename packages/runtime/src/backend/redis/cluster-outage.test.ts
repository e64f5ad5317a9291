import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisCluster, type TestCluster } from '../../../../../test/helpers/redis-cluster';
import { startRedisServer, uniquePrefix } from './_test-redis';
import { createRedisBackend, type RedisBackend } from './index';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A hub on a Redis Cluster of three masters, all of which die: the
 * process must knock on their ports at the reconnect backoff's pace. Its
 * pub/sub connection (cancel notices) moved to the next node the moment
 * the last one ended, with no pause, so with every node down it connected
 * in a loop, tens of thousands of sockets in seconds, its memory climbing
 * by the gigabyte (`cluster-subscriber.ts`).
 */
describe('a Redis Cluster whose every master dies', () => {
  let cluster: TestCluster | undefined;
  let backend: RedisBackend | undefined;
  const doors: Server[] = [];
  afterEach(async () => {
    await Promise.all(doors.splice(0).map((door) => new Promise((closed) => door.close(closed))));
    await backend?.close().catch(() => {});
    await cluster?.stop();
    backend = cluster = undefined;
  });

  it('is knocked on at the reconnect pace, by its pub/sub connection too', async () => {
    cluster = await startRedisCluster();
    backend = await createRedisBackend({
      cluster: { nodes: cluster.nodes },
      prefix: uniquePrefix('dead-cluster'),
    });
    backend.queue.consume(async () => {}, { concurrency: 2, onDead: async () => {} });
    backend.signals!.onCancel(() => {});
    await pause(1000);
    await Promise.all(cluster.nodes.map((_, i) => cluster!.kill9(i)));
    // A listener on each dead node's port counts the connections the process opens to it.
    let knocks = 0;
    for (const node of cluster.nodes) {
      const door = createServer((socket) => {
        knocks += 1;
        socket.destroy();
      });
      doors.push(door);
      await new Promise<void>((ready) => door.listen(Number(node.split(':')[1]), '127.0.0.1', ready));
    }
    await pause(3000);
    // Each of the process's Cluster clients retries with a backoff (50 ms doubling to 2 s) and
    // asks a node for the slots on each try: about a hundred knocks in all (measured 40–60);
    // the pub/sub loop alone made over 10 000 here.
    expect(knocks).toBeLessThan(500);
  });

  it('a Cluster that answers but serves no slot (never created) is refused at start, not waited for', async () => {
    // A node in cluster mode that was never given slots: ioredis retries its ready check for ever.
    const node = await startRedisServer(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']);
    try {
      const started = Date.now();
      await expect(
        createRedisBackend({
          cluster: { nodes: [new URL(node.url).host] },
          prefix: uniquePrefix('no-slots'),
          connectTimeoutMs: 1500,
        }),
      ).rejects.toMatchObject({
        code: 'BACKEND_UNAVAILABLE',
        message: expect.stringMatching(/not ready after 1\.5 s.*cluster_state:ok.*redis-cli --cluster check/),
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await node.stop();
    }
  });
});
