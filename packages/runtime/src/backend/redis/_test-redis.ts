/**
 * Test support for the Redis backend's own tests (not exported): a unique
 * key prefix per test on the machine's Redis, clean-up by SCAN + DEL, and
 * throwaway redis-server processes for tests that need other settings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cluster, Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { deleteHubKeys } from '../../../../../test/helpers/key-cleanup';
import { clusterClient, deleteClusterKeys, useTestCluster } from '../../../../../test/helpers/redis-cluster';
import { type FlowOutline, newRun } from '../../model/new-run';
import type { CloudEvent, RunRecord } from '../../model/run-record';
import { createRedisBackend, type RedisBackend, type RedisBackendOptions } from './index';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(label = 'unit'): string {
  return `{baton-${label}-${randomBytes(5).toString('hex')}}`;
}

/** The outline of a flow `id` with `steps` main steps `s0`, `s1`, …: what a new run needs of it. */
export function testFlow(id = 'f', steps = 2): FlowOutline {
  return { id, steps: Array.from({ length: steps }, (_, i) => ({ id: `s${i}`, phase: 'main' as const })) };
}

/** A queued run of `flow` for a fresh event. */
export function testRun(
  flow: FlowOutline,
  now = Date.now(),
  eventId = randomBytes(6).toString('hex'),
): RunRecord {
  const event: CloudEvent = {
    specversion: '1.0',
    id: eventId,
    source: 's',
    type: 'go',
    time: new Date(now).toISOString(),
    data: { n: 1 },
  };
  return newRun(flow, event, 'webhook', now);
}

/** A plain client for looking at what the backend wrote. */
export function rawClient(url = redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** Deletes every key of the hub under `prefix` and its partitions. */
export async function deleteKeys(prefix: string, url = redisUrl): Promise<void> {
  const redis = rawClient(url);
  try {
    await deleteHubKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** What a pool's backends run on: the machine's Redis, or a Redis Cluster (see test/helpers/redis-cluster.ts). */
export type TestTarget = 'server' | 'cluster';

/** Both targets, for `describe.each(TEST_TARGETS)`. */
export const TEST_TARGETS: TestTarget[] = ['server', 'cluster'];

/**
 * Backends on one fresh prefix (several share it, like processes of one
 * hub); `dispose` closes them all and deletes the prefix's keys. On
 * `cluster`, the file's cluster is released after its tests.
 */
export function backendPool(label?: string, target: TestTarget = 'server') {
  const prefix = uniquePrefix(label);
  const opened: RedisBackend[] = [];
  let cluster: ReturnType<typeof useTestCluster> | undefined;
  if (target === 'cluster') afterAll(async () => (await cluster)?.release());
  const connection = async (): Promise<Pick<RedisBackendOptions, 'url' | 'cluster'>> => {
    if (target === 'server') return { url: redisUrl };
    cluster ??= useTestCluster();
    return { cluster: { nodes: (await cluster).nodes } };
  };
  return {
    prefix,
    async open(options: Partial<RedisBackendOptions> = {}): Promise<RedisBackend> {
      const backend = await createRedisBackend({ ...(await connection()), ...options, prefix });
      opened.push(backend);
      return backend;
    },
    /** A plain client of the pool's Redis or Cluster, for looking at what the backends wrote. */
    async raw(): Promise<Redis | Cluster> {
      const { url, cluster: nodes } = await connection();
      return nodes ? clusterClient(nodes.nodes) : rawClient(url);
    },
    async dispose(): Promise<void> {
      await Promise.all(opened.splice(0).map((b) => b.close().catch(() => {})));
      if (target === 'server') await deleteKeys(prefix);
      else if (cluster) await deleteClusterKeys((await cluster).nodes, prefix);
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A throwaway redis-server with the given settings (`--name value` pairs), in a temp folder. */
export async function startRedisServer(settings: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'baton-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...settings],
      { stdio: 'ignore' },
    );
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    for (let i = 0; ; i++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (i > 100) throw error;
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
  };
  /** SIGKILL: a crash, as far as the backend can tell. */
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    url,
    kill,
    /** Starts the server again on the same port and folder. */
    restart: launch,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis Cluster of one throwaway node holding every slot, for tests that
 * kill the Cluster: `kill`, `restart` (same port, folder and node id, so its
 * slots come back) and `stop` as `startRedisServer`'s, and `node`, its
 * `host:port` seed.
 */
export async function startClusterNode(settings: string[] = []) {
  const server = await startRedisServer([
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    // Alone, a node does not know its own address and would give the clients an empty one.
    '--cluster-announce-ip',
    '127.0.0.1',
    ...settings,
  ]);
  const raw = rawClient(server.url);
  try {
    await raw.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    while (!String(await raw.call('CLUSTER', 'INFO')).includes('cluster_state:ok'))
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    raw.disconnect();
  }
  return { ...server, node: new URL(server.url).host };
}
