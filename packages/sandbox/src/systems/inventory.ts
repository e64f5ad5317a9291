import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../state';
import { defineSystem } from '../system';
import { IdempotencyKeys, type SavedAnswer } from './inventory/idempotency';
import { type InventoryItem, type InventoryLevel, InventoryStore } from './inventory/store';

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);
const adjustBody = z.object({
  location_id: id,
  inventory_item_id: id,
  available_adjustment: z.number().int(),
});
const setBody = z.object({ location_id: id, inventory_item_id: id, available: z.number().int().min(0) });

/**
 * A Shopify-style inventory API (Admin REST `inventory_items`,
 * `inventory_levels`, `locations`) under
 * `/inventory/admin/api/{version}`, authenticated by the
 * `X-Shopify-Access-Token` header (any token is accepted). Two sandbox
 * extensions make it usable for order flows: `GET inventory_items.json?sku=`
 * finds an item by SKU, and stock changes refuse to go below zero (422) and
 * honour `Idempotency-Key`. Seeded SKUs: TSHIRT-BLK-M, MUG-CERAMIC-12OZ,
 * HOODIE-GRY-L (3 left) and STICKER-PACK.
 */
export const inventorySystem = defineSystem({
  name: 'inventory',
  prefix: '/inventory',
  description: 'Shopify-style inventory (Admin REST) at /admin/api/2024-10; X-Shopify-Access-Token',
  errorBody: (_status, message) => ({ errors: message }),
  create(state) {
    const store = new InventoryStore();
    const keys = new IdempotencyKeys();
    state.onReset(() => {
      store.reset();
      keys.reset();
    });
    const api = new Hono();
    api.use('*', async (c, next) => {
      if (!c.req.header('x-shopify-access-token')) {
        return c.json(
          { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
          401,
        );
      }
      await next();
    });

    api.get('/locations.json', (c) => c.json({ locations: store.locations }));

    api.get('/inventory_items.json', (c) => {
      const sku = c.req.query('sku');
      const ids = idList(c.req.query('ids'));
      if (sku === undefined && ids.length === 0) {
        return c.json({ errors: { ids: ['is required (or sku, in the sandbox)'] } }, 400);
      }
      const items = sku !== undefined ? [store.itemBySku(sku)] : ids.map((i) => store.items.get(i));
      return c.json({ inventory_items: items.filter((i) => i !== undefined).map(renderItem) });
    });

    api.get('/inventory_items/:file', (c) => {
      const item = store.items.get(Number(c.req.param('file').replace(/\.json$/, '')));
      return item ? c.json({ inventory_item: renderItem(item) }) : c.json({ errors: 'Not Found' }, 404);
    });

    api.get('/inventory_levels.json', (c) => {
      const items = idList(c.req.query('inventory_item_ids'));
      const locations = idList(c.req.query('location_ids'));
      if (items.length === 0 && locations.length === 0) {
        return c.json({ errors: { base: ['inventory_item_ids or location_ids must be given'] } }, 422);
      }
      return c.json({ inventory_levels: store.levelsFor(items, locations).map(renderLevel) });
    });

    api.post('/inventory_levels/adjust.json', (c) =>
      stockChange(c, keys, adjustBody, (input) => {
        const outcome = store.adjust(input.inventory_item_id, input.location_id, input.available_adjustment);
        if ('errors' in outcome) return { status: outcome.status, body: { errors: outcome.errors } };
        const delta = input.available_adjustment;
        if (delta !== 0)
          record(state, store, delta < 0 ? 'stock.reserved' : 'stock.released', outcome, Math.abs(delta));
        return { status: 200, body: { inventory_level: renderLevel(outcome) } };
      }),
    );

    api.post('/inventory_levels/set.json', (c) =>
      stockChange(c, keys, setBody, (input) => {
        const outcome = store.set(input.inventory_item_id, input.location_id, input.available);
        if ('errors' in outcome) return { status: outcome.status, body: { errors: outcome.errors } };
        record(state, store, 'stock.set', outcome, input.available);
        return { status: 200, body: { inventory_level: renderLevel(outcome) } };
      }),
    );

    const app = new Hono();
    app.route('/admin/api/:version', api);
    return app;
  },
});

/**
 * Runs one stock change under its `Idempotency-Key`: read and check the body,
 * then look the key up, apply and save in one synchronous step.
 */
async function stockChange<T extends z.ZodType>(
  c: Context,
  keys: IdempotencyKeys,
  schema: T,
  apply: (input: z.output<T>) => SavedAnswer,
): Promise<Response> {
  const raw = await c.req.json().catch(() => undefined);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'base');
      errors[field] = [...(errors[field] ?? []), issue.message];
    }
    return c.json({ errors }, 422);
  }
  const key = c.req.header('idempotency-key');
  const fingerprint = `${c.req.path}\n${JSON.stringify(parsed.data)}`;
  if (key) {
    const previous = keys.lookup(key, fingerprint);
    if (previous === 'mismatch') {
      return c.json({ errors: `Idempotency-Key "${key}" was already used with different parameters` }, 409);
    }
    if (previous) {
      c.header('Idempotent-Replayed', 'true');
      return c.json(previous.body as object, previous.status as 200);
    }
  }
  const answer = apply(parsed.data);
  if (key) keys.save(key, fingerprint, answer);
  return c.json(answer.body as object, answer.status as 200);
}

function record(
  state: SandboxState,
  store: InventoryStore,
  kind: string,
  level: InventoryLevel,
  quantity: number,
) {
  const sku = store.items.get(level.inventory_item_id)?.sku ?? String(level.inventory_item_id);
  state.effect('inventory', kind, sku, {
    sku,
    quantity,
    locationId: level.location_id,
    available: level.available,
  });
}

function idList(text: string | undefined): number[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

function renderItem(item: InventoryItem) {
  return {
    id: item.id,
    sku: item.sku,
    created_at: item.created_at,
    updated_at: item.updated_at,
    requires_shipping: true,
    cost: item.cost,
    country_code_of_origin: null,
    province_code_of_origin: null,
    harmonized_system_code: null,
    tracked: item.tracked,
    country_harmonized_system_codes: [],
    admin_graphql_api_id: `gid://shopify/InventoryItem/${item.id}`,
  };
}

function renderLevel(level: InventoryLevel) {
  return {
    ...level,
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${level.location_id}?inventory_item_id=${level.inventory_item_id}`,
  };
}
