import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { inventorySystem } from './inventory';
import { BERLIN_STORE_ID, MAIN_WAREHOUSE_ID } from './inventory/store';

// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;
const base = '/inventory/admin/api/2024-10';
const token = { 'x-shopify-access-token': 'shpat_sandbox', 'content-type': 'application/json' };

function sandbox() {
  const { app, state } = createSandboxApp({ systems: [inventorySystem] });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(`${base}${path}`, {
      method,
      headers: { ...token, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  return { state, call };
}

const HOODIE = 808950812;
const adjust = (delta: number) => ({
  location_id: MAIN_WAREHOUSE_ID,
  inventory_item_id: HOODIE,
  available_adjustment: delta,
});

describe('inventory sandbox', () => {
  it('finds an item by SKU and reads its levels at every location', async () => {
    const { call } = sandbox();
    const items = await call('GET', '/inventory_items.json?sku=TSHIRT-BLK-M');
    expect(items.body.inventory_items).toEqual([
      expect.objectContaining({ id: 808950810, sku: 'TSHIRT-BLK-M', tracked: true }),
    ]);
    const levels = await call('GET', '/inventory_levels.json?inventory_item_ids=808950810');
    expect(levels.body.inventory_levels.map((l: Json) => [l.location_id, l.available])).toEqual([
      [MAIN_WAREHOUSE_ID, 120],
      [BERLIN_STORE_ID, 10],
    ]);
    expect((await call('GET', '/inventory_items.json?sku=NOPE')).body).toEqual({ inventory_items: [] });
    expect((await call('GET', '/inventory_items/808950811.json')).body.inventory_item.sku).toBe(
      'MUG-CERAMIC-12OZ',
    );
    expect((await call('GET', '/inventory_items/1.json')).status).toBe(404);
  });

  it('requires the access token header', async () => {
    const { call } = sandbox();
    const res = await call('GET', '/locations.json', undefined, { 'x-shopify-access-token': '' });
    expect(res.status).toBe(401);
    expect(res.body.errors).toMatch(/Invalid API key or access token/);
  });

  it('decrements stock and records a reservation', async () => {
    const { call, state } = sandbox();
    const res = await call('POST', '/inventory_levels/adjust.json', adjust(-2));
    expect(res.status).toBe(200);
    expect(res.body.inventory_level).toMatchObject({ inventory_item_id: HOODIE, available: 1 });
    expect(state.effects).toEqual([
      expect.objectContaining({
        kind: 'stock.reserved',
        ref: 'HOODIE-GRY-L',
        data: { sku: 'HOODIE-GRY-L', quantity: 2, locationId: MAIN_WAREHOUSE_ID, available: 1 },
      }),
    ]);
  });

  it('refuses to go below zero with a 422', async () => {
    const { call, state } = sandbox();
    const res = await call('POST', '/inventory_levels/adjust.json', adjust(-5));
    expect(res.status).toBe(422);
    expect(res.body.errors.available[0]).toContain('HOODIE-GRY-L has 3 available');
    expect(state.effects).toEqual([]);
  });

  it('replays a retried change with the same Idempotency-Key instead of applying it twice', async () => {
    const { call, state } = sandbox();
    const key = { 'idempotency-key': 'run-1:stock' };
    const first = await call('POST', '/inventory_levels/adjust.json', adjust(-1), key);
    const retry = await call('POST', '/inventory_levels/adjust.json', adjust(-1), key);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(state.effects.filter((e) => e.kind === 'stock.reserved')).toHaveLength(1);
    const levels = await call('GET', `/inventory_levels.json?inventory_item_ids=${HOODIE}`);
    expect(levels.body.inventory_levels[0].available).toBe(2);

    const misuse = await call('POST', '/inventory_levels/adjust.json', adjust(-2), key);
    expect(misuse.status).toBe(409);
    expect(misuse.body.errors).toContain('already used with different parameters');
  });

  it('releases stock back and sets levels', async () => {
    const { call, state } = sandbox();
    await call('POST', '/inventory_levels/adjust.json', adjust(-3));
    const released = await call('POST', '/inventory_levels/adjust.json', adjust(3));
    expect(released.body.inventory_level.available).toBe(3);
    const set = await call('POST', '/inventory_levels/set.json', {
      location_id: MAIN_WAREHOUSE_ID,
      inventory_item_id: HOODIE,
      available: 40,
    });
    expect(set.body.inventory_level.available).toBe(40);
    expect(state.effects.map((e) => e.kind)).toEqual(['stock.reserved', 'stock.released', 'stock.set']);
  });

  it('answers Shopify-style errors for bad bodies and unstocked locations', async () => {
    const { call } = sandbox();
    const bad = await call('POST', '/inventory_levels/adjust.json', {
      location_id: 'x',
      inventory_item_id: HOODIE,
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['available_adjustment', 'location_id']);
    const unstocked = await call('POST', '/inventory_levels/adjust.json', {
      ...adjust(-1),
      location_id: BERLIN_STORE_ID,
    });
    expect(unstocked.status).toBe(422);
    expect(unstocked.body.errors.base[0]).toContain('is not stocked at location');
    expect((await call('GET', '/inventory_levels.json')).status).toBe(422);
  });

  it('restores the seeded stock on reset', async () => {
    const { call, state } = sandbox();
    await call('POST', '/inventory_levels/adjust.json', adjust(-3));
    state.reset();
    const levels = await call('GET', `/inventory_levels.json?inventory_item_ids=${HOODIE}`);
    expect(levels.body.inventory_levels[0].available).toBe(3);
  });
});
