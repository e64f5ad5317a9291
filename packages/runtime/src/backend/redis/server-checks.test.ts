import { describe, expect, it } from 'vitest';
import { startRedisServer, uniquePrefix } from './_test-redis';
import { createRedisBackend } from './index';
import { assessServer } from './server-checks';

describe('Redis server checks', () => {
  const safe = { version: '7.0.15', evictionPolicy: 'noeviction', aofEnabled: true, appendfsync: 'always' };

  it('refuses a server that may evict keys, and says why', () => {
    expect(() => assessServer({ ...safe, evictionPolicy: 'allkeys-lru' }, 'default')).toThrow(
      expect.objectContaining({
        code: 'REDIS_EVICTION_POLICY',
        message: expect.stringContaining('noeviction'),
      }),
    );
  });

  it('refuses a server older than 6.2', () => {
    expect(() => assessServer({ ...safe, version: '6.0.16' }, 'default')).toThrow(
      expect.objectContaining({ code: 'REDIS_VERSION_UNSUPPORTED' }),
    );
  });

  it('warns and goes on when the policy cannot be read', () => {
    const { evictionPolicy: _, ...unknown } = safe;
    expect(assessServer(unknown, 'default').warnings).toEqual([expect.stringContaining('maxmemory-policy')]);
  });

  it('strict mode: WAITAOF on 7.2+, appendfsync always before, refuses otherwise', () => {
    expect(assessServer({ ...safe, version: '7.2.4', appendfsync: 'everysec' }, 'strict').waitAof).toBe(true);
    expect(() => assessServer({ ...safe, version: '7.2.4', aofEnabled: false }, 'strict')).toThrow(
      expect.objectContaining({ code: 'REDIS_DURABILITY_UNMET' }),
    );
    expect(assessServer(safe, 'strict')).toEqual({ waitAof: false, warnings: [] });
    expect(() => assessServer({ ...safe, appendfsync: 'everysec' }, 'strict')).toThrow(
      expect.objectContaining({
        code: 'REDIS_DURABILITY_UNMET',
        message: expect.stringContaining('everysec'),
      }),
    );
    const { appendfsync: _, ...noConfig } = safe;
    expect(() => assessServer(noConfig, 'strict')).toThrow(
      expect.objectContaining({ code: 'REDIS_DURABILITY_UNMET' }),
    );
    expect(assessServer({ ...safe, aofEnabled: false }, 'default').warnings).toEqual([
      expect.stringContaining('appendonly'),
    ]);
  });

  it('checks a real server at start-up: maxmemory-policy and strict durability', async () => {
    const lru = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
    const always = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    try {
      await expect(createRedisBackend({ url: lru.url, prefix: uniquePrefix() })).rejects.toMatchObject({
        code: 'REDIS_EVICTION_POLICY',
      });
      await expect(
        createRedisBackend({ url: lru.url.replace(/\d+$/, '1'), prefix: uniquePrefix() }),
      ).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      const backend = await createRedisBackend({
        url: always.url,
        prefix: uniquePrefix(),
        durability: 'strict',
      });
      expect(backend.server).toMatchObject({
        aofEnabled: true,
        appendfsync: 'always',
        evictionPolicy: 'noeviction',
      });
      await backend.close();
    } finally {
      await Promise.all([lru.stop(), always.stop()]);
    }
  });

  it('refuses a prefix without a hash tag and a URL that does not parse', async () => {
    await expect(
      createRedisBackend({ url: 'redis://127.0.0.1:6379', prefix: 'baton' }),
    ).rejects.toMatchObject({
      code: 'REDIS_PREFIX_INVALID',
    });
    await expect(createRedisBackend({ url: 'not a url' })).rejects.toMatchObject({
      code: 'REDIS_URL_INVALID',
    });
  });
});
