import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort } from './free-port';
import { deleteHubKeys } from './key-cleanup';
import { tempDir } from './workspace';

const run = promisify(execFile);

export interface TestCluster {
  /**
   * `host:port` of every node: the masters first, then their replicas in the
   * same order (master `m`'s `r`th replica at `masters * (1 + r) + m`).
   */
  nodes: string[];
  /** Kills a node (index into `nodes`) as a crash would. */
  kill9(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of the test's own on loopback ports, in a temp folder:
 * `masters` masters (at least three, as `redis-cli --cluster create`
 * requires) and `replicasPerMaster` replicas each. Resolves once every
 * node says the cluster is ok and every slot is served.
 */
export async function startRedisCluster(
  options: { masters?: number; replicasPerMaster?: number } = {},
): Promise<TestCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const dir = await tempDir('baton-cluster-');
  const children: ChildProcess[] = [];
  const nodes: string[] = [];
  try {
    // Ports asked for one after another may repeat while no node has bound its own yet.
    const ports = new Set<number>();
    while (ports.size < masters * (1 + replicas)) ports.add(await freePort());
    for (const port of ports) {
      nodes.push(`127.0.0.1:${port}`);
      // Each node writes its cluster state (nodes-<port>.conf) in the shared folder.
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir.path,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const node of nodes) await waitForPing(node);
    // Masters first, then each replica attached to its master by id: `--cluster-replicas N` on
    // one host places replicas by its own anti-affinity rules, not in the order `nodes` promises.
    await run('redis-cli', ['--cluster', 'create', ...nodes.slice(0, masters), '--cluster-yes']);
    for (let r = 0; r < replicas; r++) {
      for (let m = 0; m < masters; m++) {
        const replica = nodes[masters + r * masters + m]!;
        const master = nodes[m]!;
        const id = (await redisCli(master, 'cluster', 'myid')).trim();
        await run('redis-cli', [
          '--cluster',
          'add-node',
          replica,
          master,
          '--cluster-slave',
          '--cluster-master-id',
          id,
        ]);
      }
    }
    await waitForClusterOk(nodes);
    if (replicas > 0) await waitForReplicas(nodes.slice(0, masters), replicas);
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    await dir.remove();
    throw error;
  }
  const kill9 = async (index: number) => {
    const child = children[index];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  return {
    nodes,
    kill9,
    async stop() {
      await Promise.all(children.map((_, i) => kill9(i)));
      await dir.remove();
    },
  };
}

function redisCli(node: string, ...args: string[]): Promise<string> {
  const [host, port] = node.split(':');
  return run('redis-cli', ['-h', host!, '-p', port!, ...args]).then(({ stdout }) => stdout);
}

/** Waits until every master has `count` replicas connected and in sync (its replication info says so). */
async function waitForReplicas(masters: string[], count: number): Promise<void> {
  for (let i = 0; ; i++) {
    const synced = await Promise.all(
      masters.map(async (master) => {
        const info = await redisCli(master, 'info', 'replication');
        const online = info.match(/^slave\d+:.*state=online/gm) ?? [];
        return /role:master/.test(info) && online.length >= count;
      }),
    );
    if (synced.every(Boolean)) return;
    if (i > 300)
      throw new Error(
        `the test cluster's masters did not get ${count} replica(s) each: ${masters.join(',')}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForPing(node: string): Promise<void> {
  const [host, port] = node.split(':');
  for (let i = 0; ; i++) {
    try {
      const { stdout } = await run('redis-cli', ['-h', host!, '-p', port!, 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch (error) {
      if (i > 100) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until every node reports `cluster_state:ok` and a client sees every slot served. */
async function waitForClusterOk(nodes: string[]): Promise<void> {
  for (let i = 0; ; i++) {
    const states = await Promise.all(
      nodes.map(async (node) => {
        const [host, port] = node.split(':');
        const { stdout } = await run('redis-cli', ['-h', host!, '-p', port!, 'cluster', 'info']);
        return /cluster_state:ok/.test(stdout);
      }),
    );
    if (states.every(Boolean)) break;
    if (i > 200) throw new Error(`the test cluster did not become ok: ${nodes.join(',')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = new Cluster(
    nodes.map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port) };
    }),
    { lazyConnect: true },
  );
  client.on('error', () => {});
  try {
    await client.connect();
    await client.set('{probe}:ready', '1');
  } finally {
    client.disconnect();
  }
}

/**
 * The cluster a test file uses: the shared one `.ci/run` starts
 * (`BATON_TEST_CLUSTER_NODES`), else one of the file's own, started on
 * first use (three masters; ~7 s). `release` stops only a cluster of the
 * file's own, once every user released it.
 */
let own: { cluster: Promise<TestCluster>; users: number } | undefined;

export async function useTestCluster(): Promise<{ nodes: string[]; release(): Promise<void> }> {
  const shared = process.env.BATON_TEST_CLUSTER_NODES;
  if (shared) return { nodes: shared.split(','), release: async () => {} };
  own ??= { cluster: startRedisCluster(), users: 0 };
  own.users++;
  const held = own;
  const { nodes } = await held.cluster;
  return {
    nodes,
    async release() {
      if (--held.users > 0) return;
      if (own === held) own = undefined;
      await (await held.cluster).stop();
    },
  };
}

/** A client of the cluster at `nodes` for looking at keys (reads on masters). */
export function clusterClient(nodes: string[]): Cluster {
  const client = new Cluster(
    nodes.map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port) };
    }),
    { redisOptions: { maxRetriesPerRequest: 1 } },
  );
  client.on('error', () => {});
  return client;
}

/** Deletes every key under `prefix` on every master (SCAN + DEL). */
export async function deleteClusterKeys(nodes: string[], prefix: string): Promise<void> {
  const client = clusterClient(nodes);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
    });
    for (const master of client.nodes('master')) await deleteHubKeys(master, prefix, client);
  } finally {
    client.disconnect();
  }
}
