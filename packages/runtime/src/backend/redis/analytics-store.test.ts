import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CODES_PER_BUCKET } from '../../analytics/fields';
import { bucketStart, expiryOf } from '../../analytics/tiers';
import { analyticsStoreSuite, figuresOf } from '../_test-analytics';
import { backendPool, rawClient } from './_test-redis';
import type { RedisBackend } from './index';

describe('Redis analytics store', () => {
  const pool = backendPool('analytics');
  let backend: RedisBackend;
  let raw: Redis;
  let flows = 0;
  beforeAll(async () => {
    backend = await pool.open();
    raw = rawClient();
  });
  afterAll(async () => {
    raw.disconnect();
    await pool.dispose();
  });

  analyticsStoreSuite(
    async () => backend.analytics,
    () => `flow-${++flows}`,
  );

  it('writes one hash per flow and bucket, each expiring at its bucket end plus its keep', async () => {
    const now = Date.now();
    await backend.analytics.record(
      figuresOf('ttl', now, { status: 'failed', errorCode: 'E', attemptErrors: ['X'] }),
    );
    const keys = (await raw.keys(`${pool.prefix}:analytics:flow:ttl:*`)).sort();
    const minute = bucketStart('minute', now);
    const hour = bucketStart('hour', now);
    expect(keys).toEqual(
      [
        `${pool.prefix}:analytics:flow:ttl:hour:${hour}`,
        `${pool.prefix}:analytics:flow:ttl:minute:${minute}`,
      ].sort(),
    );
    expect(await raw.pexpiretime(`${pool.prefix}:analytics:flow:ttl:minute:${minute}`)).toBe(
      expiryOf('minute', minute),
    );
    expect(await raw.pexpiretime(`${pool.prefix}:analytics:flow:ttl:hour:${hour}`)).toBe(
      expiryOf('hour', hour),
    );
    await backend.analytics.recordBreakerOpening('pay', now);
    expect(await raw.pexpiretime(`${pool.prefix}:analytics:breakers:minute:${minute}`)).toBe(
      expiryOf('minute', minute),
    );
  });

  it('holds a bounded number of fields per bucket whatever codes connectors invent', async () => {
    const now = Date.now();
    // Gathered into one write, or several: the bound holds either way.
    await Promise.all(
      Array.from({ length: 3 * MAX_CODES_PER_BUCKET }, (_, i) =>
        backend.analytics.record(figuresOf('noisy', now, { status: 'failed', errorCode: `E${i}` })),
      ),
    );
    const key = `${pool.prefix}:analytics:flow:noisy:minute:${bucketStart('minute', now)}`;
    const fields = await raw.hkeys(key);
    expect(fields.filter((f) => f.startsWith('e:'))).toHaveLength(MAX_CODES_PER_BUCKET + 2);
    expect(await raw.hget(key, 'e:(other)')).toBe(String(2 * MAX_CODES_PER_BUCKET));
    expect(await raw.hget(key, 'e:#')).toBe(String(MAX_CODES_PER_BUCKET));
  });
});
