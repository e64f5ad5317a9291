import { BatonError } from '@baton/sdk';
import { ConnectionClosedError } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterClient, useTestCluster } from '../../../../../test/helpers/redis-cluster';
import { startRedisServer } from './_test-redis';
import { guard, isUnavailable } from './errors';

type ClientOptions = Pick<
  RedisOptions,
  'lazyConnect' | 'retryStrategy' | 'enableOfflineQueue' | 'maxRetriesPerRequest' | 'commandTimeout'
>;

/** The error a call rejects with (the test fails when it resolves). */
async function failureOf(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

/**
 * The errors ioredis and BullMQ really raise when Redis goes away, each
 * made by a real client against a real (throwaway) server: every one must
 * read as "unavailable", and turn into BACKEND_UNAVAILABLE through guard;
 * Redis refusing a command for what it is must not.
 */
describe('Redis errors: unavailable or not', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  let downUrl: string;
  const clients: Redis[] = [];
  const client = (url: string, options: ClientOptions = {}) => {
    const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, ...options });
    redis.on('error', () => {});
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    // A port nothing listens on any more.
    const gone = await startRedisServer();
    downUrl = gone.url;
    await gone.stop();
  });
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await server.stop();
  });

  async function expectUnavailable(error: Error) {
    expect(isUnavailable(error), `${error.name}: ${error.message}`).toBe(true);
    await expect(guard(() => Promise.reject(error))).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      retryable: true,
      cause: error,
    });
  }

  it('connection refused', async () => {
    await expectUnavailable(await failureOf(() => client(downUrl).connect()));
  });

  it("no connection and no offline queue: Stream isn't writeable", async () => {
    const error = await failureOf(() => client(downUrl, { enableOfflineQueue: false }).get('k'));
    expect(error.message).toMatch(/Stream isn't writeable/);
    await expectUnavailable(error);
  });

  it('a queued command out of retries: MaxRetriesPerRequestError', async () => {
    const redis = client(downUrl, { lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    const error = await failureOf(() => redis.get('k'));
    expect(error.name).toBe('MaxRetriesPerRequestError');
    await expectUnavailable(error);
  });

  it('a closed connection: Connection is closed', async () => {
    const redis = client(server.url);
    await redis.connect();
    redis.disconnect();
    await expectUnavailable(await failureOf(() => redis.get('k')));
  });

  it('a server that does not answer in time: Command timed out', async () => {
    const pauser = client(server.url);
    const slow = client(server.url, { commandTimeout: 100 });
    await Promise.all([pauser.connect(), slow.connect()]);
    await pauser.call('CLIENT', 'PAUSE', '400', 'ALL');
    const error = await failureOf(() => slow.get('k'));
    expect(error.message).toMatch(/Command timed out/);
    await expectUnavailable(error);
  });

  it('a full server (OOM), alone and inside a transaction (EXECABORT)', async () => {
    const redis = client(server.url);
    await redis.connect();
    await redis.config('SET', 'maxmemory', '1');
    try {
      await expectUnavailable(await failureOf(() => redis.set('k', 'v')));
      const aborted = await failureOf(() => redis.multi().set('k', 'v').incr('n').exec());
      expect(aborted.message).toMatch(/^EXECABORT/);
      await expectUnavailable(aborted);
    } finally {
      await redis.config('SET', 'maxmemory', '0');
    }
  });

  it("BullMQ's ConnectionClosedError, and a failure wrapped as another error's cause", async () => {
    await expectUnavailable(new ConnectionClosedError('closed while waiting'));
    const refused = await failureOf(() => client(downUrl).connect());
    await expectUnavailable(new Error('could not add the job', { cause: refused }));
  });

  it('a Cluster node asked for a slot it does not serve (a failover the client has not learnt yet): MOVED', async () => {
    const cluster = await useTestCluster();
    try {
      const node = client(`redis://${cluster.nodes[0]}`);
      await node.connect();
      // Of three masters, one serves a key's slot: some of these keys are another's.
      const errors = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          node.get(`{moved-${i}}`).then(
            () => undefined,
            (e: Error) => e,
          ),
        ),
      );
      const moved = errors.find((e) => e !== undefined);
      expect(moved?.message).toMatch(/^MOVED \d+ /);
      await expectUnavailable(moved!);
      // A batch for one node holding keys another serves: what an auto-pipeline meets when slots move under it.
      const whole = clusterClient(cluster.nodes);
      try {
        const batch = whole.pipeline();
        for (let i = 0; i < 8; i++) batch.get(`{moved-${i}}`);
        await expectUnavailable(await failureOf(() => batch.exec()));
      } finally {
        whole.disconnect();
      }
    } finally {
      await cluster.release();
    }
  }, 60_000);

  it('is not fooled by Redis refusing the command itself, nor by bugs', async () => {
    const redis = client(server.url);
    await redis.connect();
    await redis.set('a-string', 'x');
    const wrongType = await failureOf(() => redis.lpush('a-string', 'y'));
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const other = new BatonError('no such flow', { code: 'FLOW_NOT_FOUND' });
    for (const error of [wrongType, bug, other]) {
      expect(isUnavailable(error), error.message).toBe(false);
      await expect(guard(() => Promise.reject(error))).rejects.toBe(error);
    }
  });
});
