import { describe, expect, it } from 'vitest';
import { backendPool } from './_test-redis';
import { redisTarget } from './client';

describe('the Redis target', () => {
  it('takes seed nodes as host:port, or as URLs whose credentials and TLS apply to every node', () => {
    expect(
      redisTarget({ cluster: { nodes: [' 10.0.0.5:6379', '', 'redis-b:7000 ', '[::1]:7001'] } }),
    ).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.5', port: 6379 },
        { host: 'redis-b', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      describe: 'cluster 10.0.0.5:6379,redis-b:7000,::1:7001',
    });
    expect(
      redisTarget({
        cluster: { nodes: ['rediss://app:p%40ss@a:6380', 'b:6380', 'rediss://:p%40ss@c:6380'] },
      }),
    ).toMatchObject({ username: 'app', password: 'p@ss', tls: {}, describe: 'cluster a:6380,b:6380,c:6380' });
  });

  it('refuses malformed seeds without showing their password, an empty list, and a URL beside a Cluster', () => {
    for (const [nodes, message] of [
      [['10.0.0.5'], '"10.0.0.5", which is not host:port'],
      [['a:6379', 'b:99999'], '"b:99999", which is not host:port'],
      [['redis://app:secret@a'], '"redis://app:***@a", which is not host:port'],
      [[' ', ''], 'names no node'],
      [['redis://:one@a:1', 'redis://:two@b:1'], 'different passwords'],
    ] as const) {
      expect(() => redisTarget({ cluster: { nodes: [...nodes] } })).toThrow(
        expect.objectContaining({
          code: 'REDIS_CLUSTER_NODES_INVALID',
          message: expect.stringContaining(message),
        }),
      );
    }
    expect(() => redisTarget({ cluster: { nodes: ['redis://app:secret@a'] } })).not.toThrow(/secret/);
    expect(() => redisTarget({ url: 'redis://a:1', cluster: { nodes: ['a:1'] } })).toThrow(
      expect.objectContaining({ code: 'REDIS_CLUSTER_NODES_INVALID' }),
    );
    expect(() => redisTarget({ url: 'nope' })).toThrow(
      expect.objectContaining({ code: 'REDIS_URL_INVALID' }),
    );
  });
});

describe('the Redis backend on a Cluster', () => {
  const pool = backendPool('cluster', 'cluster');

  it('checks every master, and refuses strict durability where WAITAOF cannot confirm the writes', async () => {
    const backend = await pool.open();
    expect(backend.server.version).toMatch(/^\d+\.\d+/);
    await backend.runs.list({});
    await expect(pool.open({ durability: 'strict' })).rejects.toMatchObject({
      code: 'REDIS_DURABILITY_UNMET',
      message: expect.stringContaining('appendfsync always'),
    });
    await pool.dispose();
  });
});
