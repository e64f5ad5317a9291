import type { ConnectionOptions } from 'node:tls';
import { BatonError } from '@baton/sdk';
import type { Cluster, Redis } from 'ioredis';
import { redactUrl } from './errors';

/**
 * A connection to one Redis server or to a Redis Cluster. The stores use
 * only what both have: every key of a hub shares the prefix's hash tag, so
 * on a Cluster each script, transaction and pipeline lands on one slot.
 */
export type RedisClient = Redis | Cluster;

/** A Redis Cluster to run on, as `RedisBackendOptions.cluster` takes it. */
export interface RedisClusterOptions {
  /**
   * Seed nodes, each `host:port`, or `redis://[user:password@]host:port`
   * (`rediss://` for TLS): the client finds the other nodes from them.
   * Credentials and TLS given in a seed apply to every node. White space
   * around a seed, and empty seeds, are ignored.
   */
  nodes: string[];
  /** ACL user name of every node (or give it in a seed URL). */
  username?: string;
  /** Password of every node (or give it in a seed URL). */
  password?: string;
  /** TLS to every node: `true`, or Node's TLS options. @default false (true with a rediss:// seed) */
  tls?: boolean | ConnectionOptions;
}

/** Where the backend connects: one server (`url`) or a Cluster, with how to name it in logs. */
export type RedisTarget =
  | { kind: 'server'; url: string; describe: string }
  | {
      kind: 'cluster';
      nodes: Array<{ host: string; port: number }>;
      username?: string;
      password?: string;
      tls?: ConnectionOptions;
      describe: string;
    };

/** The target the options name; throws REDIS_URL_INVALID or REDIS_CLUSTER_NODES_INVALID. */
export function redisTarget(options: {
  url?: string | undefined;
  cluster?: RedisClusterOptions | undefined;
}): RedisTarget {
  if (options.url !== undefined && options.cluster !== undefined) {
    throw nodesInvalid(
      'REDIS_URL and REDIS_CLUSTER_NODES are both set: a hub runs on one Redis server or on one Cluster; unset one',
    );
  }
  if (options.cluster) return clusterTarget(options.cluster);
  const url = options.url ?? '';
  try {
    new URL(url);
  } catch {
    throw new BatonError('REDIS_URL is not a valid URL (expected redis://host:port)', {
      code: 'REDIS_URL_INVALID',
    });
  }
  return { kind: 'server', url, describe: redactUrl(url) };
}

function clusterTarget(options: RedisClusterOptions): RedisTarget {
  const seeds = options.nodes.map((seed) => seed.trim()).filter((seed) => seed !== '');
  if (seeds.length === 0) {
    throw nodesInvalid('REDIS_CLUSTER_NODES names no node: give seed nodes as host:port,host:port');
  }
  let { username, password } = options;
  let tls = options.tls === true ? {} : options.tls || undefined;
  const nodes = seeds.map((seed) => {
    const url = /^rediss?:\/\//.test(seed) ? parseSeedUrl(seed) : undefined;
    if (url) {
      // One set of credentials for every node: that is what a Cluster client takes.
      if (url.username) username = same(username, decodeURIComponent(url.username), 'user names');
      if (url.password) password = same(password, decodeURIComponent(url.password), 'passwords');
      if (url.protocol === 'rediss:') tls ??= {};
    }
    const hostPort = url ? url.host : seed;
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/.exec(hostPort);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw nodesInvalid(
        `REDIS_CLUSTER_NODES has "${redactSeed(seed)}", which is not host:port (such as 10.0.0.5:6379 or redis://user:password@10.0.0.5:6379)`,
      );
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
  });
  return {
    kind: 'cluster',
    nodes,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls !== undefined ? { tls } : {}),
    describe: `cluster ${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
  };
}

function parseSeedUrl(seed: string): URL {
  try {
    return new URL(seed);
  } catch {
    throw nodesInvalid(`REDIS_CLUSTER_NODES has "${redactSeed(seed)}", which is not a valid URL`);
  }
}

function same(known: string | undefined, given: string, what: string): string {
  if (known !== undefined && known !== given) {
    throw nodesInvalid(
      `the seeds of REDIS_CLUSTER_NODES give different ${what}: every node of a Cluster takes the same`,
    );
  }
  return given;
}

/** A seed as messages show it: without a password. */
function redactSeed(seed: string): string {
  return seed.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function nodesInvalid(message: string): BatonError {
  return new BatonError(message, { code: 'REDIS_CLUSTER_NODES_INVALID' });
}
