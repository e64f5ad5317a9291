import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiBase, config as configSchema } from './config';
import connector, { type ReserveStockOutput } from './index';

let sandbox: RunningSandbox;
const cfg = (extra: Record<string, unknown> = {}) => ({
  shop: 'acme',
  accessToken: 'shpat_test_123',
  baseUrl: `${sandbox.url}/inventory/admin/api/2024-10`,
  ...extra,
});
const MAIN = 655441491;
const BERLIN = 655441492;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const run = <T>(
  action: string,
  input: unknown,
  options: { idempotencyKey?: string; config?: unknown } = {},
) =>
  runAction<T>(connector, action, {
    config: options.config ?? cfg(),
    input,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  }).then((r) => r.output);

describe('inventory connector against the sandbox', () => {
  it('checks stock by SKU across locations, or at one', async () => {
    expect(await run('check-stock', { sku: 'TSHIRT-BLK-M' })).toEqual({
      sku: 'TSHIRT-BLK-M',
      inventoryItemId: 808950810,
      available: 130,
      locations: [
        { locationId: MAIN, available: 120 },
        { locationId: BERLIN, available: 10 },
      ],
    });
    expect(await run('check-stock', { sku: 'TSHIRT-BLK-M', locationId: BERLIN })).toMatchObject({
      available: 10,
    });
    await expect(run('check-stock', { sku: 'NOPE' })).rejects.toMatchObject({
      code: 'SKU_NOT_FOUND',
      retryable: false,
    });
  });

  it('reserves stock, reports what remains, and forwards the idempotency key', async () => {
    const output = await run<ReserveStockOutput>(
      'reserve-stock',
      { sku: 'HOODIE-GRY-L', qty: '2' },
      {
        idempotencyKey: 'run-1:stock',
      },
    );
    expect(output).toEqual({
      sku: 'HOODIE-GRY-L',
      inventoryItemId: 808950812,
      locationId: MAIN,
      reserved: 2,
      remaining: 1,
    });
    const adjustments = sandbox.state.requests.filter((r) =>
      r.path.endsWith('/inventory_levels/adjust.json'),
    );
    expect(adjustments.map((r) => r.idempotencyKey)).toEqual(['run-1:stock']);
  });

  it('does not reserve twice when a step is retried with the same key', async () => {
    const first = await run<ReserveStockOutput>(
      'reserve-stock',
      { sku: 'MUG-CERAMIC-12OZ', qty: 5 },
      { idempotencyKey: 'k1' },
    );
    const retry = await run<ReserveStockOutput>(
      'reserve-stock',
      { sku: 'MUG-CERAMIC-12OZ', qty: 5 },
      { idempotencyKey: 'k1' },
    );
    expect(retry).toEqual(first);
    expect(first.remaining).toBe(40);
    expect(sandbox.state.effects.filter((e) => e.kind === 'stock.reserved')).toHaveLength(1);
  });

  it('fails with OUT_OF_STOCK naming the available quantity', async () => {
    await expect(run('reserve-stock', { sku: 'HOODIE-GRY-L', qty: 5 })).rejects.toMatchObject({
      code: 'OUT_OF_STOCK',
      retryable: false,
      message: 'Out of stock: HOODIE-GRY-L has 3 available at location 655441491, 5 requested',
      details: { sku: 'HOODIE-GRY-L', available: 3, requested: 5, locationId: MAIN },
    });
    expect(sandbox.state.effects).toEqual([]);
  });

  it('releases stock as compensation, once per key', async () => {
    await run('reserve-stock', { sku: 'HOODIE-GRY-L', qty: 3 }, { idempotencyKey: 'reserve' });
    const released = await run(
      'release-stock',
      { sku: 'HOODIE-GRY-L', qty: 3 },
      { idempotencyKey: 'release' },
    );
    await run('release-stock', { sku: 'HOODIE-GRY-L', qty: 3 }, { idempotencyKey: 'release' });
    expect(released).toEqual({
      sku: 'HOODIE-GRY-L',
      inventoryItemId: 808950812,
      locationId: MAIN,
      released: 3,
      available: 3,
    });
    expect(await run('check-stock', { sku: 'HOODIE-GRY-L' })).toMatchObject({ available: 3 });
  });

  it('uses the configured location, and a step location over it', async () => {
    const atBerlin = await run<ReserveStockOutput>(
      'reserve-stock',
      { sku: 'STICKER-PACK', qty: 1 },
      {
        config: cfg({ locationId: BERLIN }),
      },
    );
    expect(atBerlin).toMatchObject({ locationId: BERLIN, remaining: 39 });
    const override = await run<ReserveStockOutput>(
      'reserve-stock',
      { sku: 'STICKER-PACK', qty: 1, locationId: MAIN },
      {
        config: cfg({ locationId: BERLIN }),
      },
    );
    expect(override).toMatchObject({ locationId: MAIN, remaining: 499 });
  });

  it('refuses a reused idempotency key for a different reservation', async () => {
    await run('reserve-stock', { sku: 'MUG-CERAMIC-12OZ', qty: 1 }, { idempotencyKey: 'same' });
    await expect(
      run('reserve-stock', { sku: 'MUG-CERAMIC-12OZ', qty: 2 }, { idempotencyKey: 'same' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      retryable: false,
    });
  });

  it('retries after a 5xx without taking the stock twice', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults/inventory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statuses: [503], pathIncludes: 'adjust' }),
    });
    await expect(
      run('reserve-stock', { sku: 'HOODIE-GRY-L', qty: 1 }, { idempotencyKey: 'r' }),
    ).rejects.toMatchObject({
      retryable: true,
    });
    const retried = await run<ReserveStockOutput>(
      'reserve-stock',
      { sku: 'HOODIE-GRY-L', qty: 1 },
      { idempotencyKey: 'r' },
    );
    expect(retried.remaining).toBe(2);
  });

  it('honours Retry-After on a 429', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults/inventory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { retryAfter: 2, count: 1 } }),
    });
    await expect(run('check-stock', { sku: 'TSHIRT-BLK-M' })).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it('maps Shopify error bodies and sends the access token header', async () => {
    await using server = await createTestServer(() => ({
      status: 401,
      json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
    }));
    const config = { shop: 'acme', accessToken: 'shpat_bad_1', baseUrl: server.url };
    await expect(run('check-stock', { sku: 'X' }, { config })).rejects.toMatchObject({
      code: 'INVENTORY_UNAUTHORIZED',
      message: expect.stringContaining('Invalid API key or access token'),
    });
    expect(server.requests[0]?.headers['x-shopify-access-token']).toBe('shpat_bad_1');
    expect(server.requests[0]?.query).toEqual({ sku: 'X' });
  });

  it('derives the Admin API base from the shop name', () => {
    const base = (shop: string) => apiBase(configSchema.parse({ shop, accessToken: 't' }));
    expect(base('acme')).toBe('https://acme.myshopify.com/admin/api/2024-10');
    expect(base('acme.myshopify.com')).toBe('https://acme.myshopify.com/admin/api/2024-10');
  });

  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, {
      config: (baseUrl, secret) => ({ shop: 'acme', accessToken: secret, baseUrl }),
    });
    expect(report.problems).toEqual([]);
  });
});
