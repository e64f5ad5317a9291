import { type HttpClient, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { inventoryError } from './errors';

const item = z.looseObject({ id: z.number(), sku: z.string().nullable() });
const level = z.looseObject({
  inventory_item_id: z.number(),
  location_id: z.number(),
  available: z.number().nullable(),
});

/** One item's quantity at one location. */
export type Level = z.output<typeof level>;

/** Reads an answer's body, or fails clearly when the API answered something else. */
function read<T extends z.ZodType>(schema: T, data: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new NonRetryableError(`The inventory API answered ${what} with an unexpected body`, {
    code: 'INVENTORY_UNEXPECTED_RESPONSE',
    details: { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
  });
}

/** The inventory item id of a SKU; `SKU_NOT_FOUND` when the shop has none. */
export async function itemIdOf(http: HttpClient, sku: string): Promise<number> {
  let data: unknown;
  try {
    ({ data } = await http.get('/inventory_items.json', { params: { sku } }));
  } catch (error) {
    throw inventoryError(error, `find the SKU ${sku}`);
  }
  const items = read(z.object({ inventory_items: z.array(item) }), data, 'the SKU lookup').inventory_items;
  const found = items.find((i) => i.sku === sku);
  if (!found) throw new NonRetryableError(`The shop has no SKU "${sku}"`, { code: 'SKU_NOT_FOUND' });
  return found.id;
}

/** The item's levels, by location id ascending, optionally at one location. */
export async function levelsOf(http: HttpClient, itemId: number, locationId?: number): Promise<Level[]> {
  let data: unknown;
  try {
    ({ data } = await http.get('/inventory_levels.json', {
      params: {
        inventory_item_ids: itemId,
        ...(locationId !== undefined ? { location_ids: locationId } : {}),
      },
    }));
  } catch (error) {
    throw inventoryError(error, `read the stock of item ${itemId}`);
  }
  const levels = read(
    z.object({ inventory_levels: z.array(level) }),
    data,
    'the stock read',
  ).inventory_levels;
  return levels.filter((l) => l.inventory_item_id === itemId).sort((a, b) => a.location_id - b.location_id);
}

/**
 * Where a stock change happens: the step's location, else the config's,
 * else the item's first location (lowest id, so retries pick the same one).
 */
export async function locationFor(
  http: HttpClient,
  itemId: number,
  sku: string,
  ...choices: Array<number | undefined>
): Promise<number> {
  const chosen = choices.find((c) => c !== undefined);
  if (chosen !== undefined) return chosen;
  const first = (await levelsOf(http, itemId))[0];
  if (!first)
    throw new NonRetryableError(`The SKU "${sku}" is not stocked at any location`, {
      code: 'SKU_NOT_STOCKED',
    });
  return first.location_id;
}

/** `POST /inventory_levels/adjust.json` under an `Idempotency-Key`; the level after the change. */
export async function adjust(
  http: HttpClient,
  change: { itemId: number; locationId: number; delta: number; idempotencyKey: string },
): Promise<Level> {
  const { data } = await http.post(
    '/inventory_levels/adjust.json',
    { location_id: change.locationId, inventory_item_id: change.itemId, available_adjustment: change.delta },
    { headers: { 'Idempotency-Key': change.idempotencyKey } },
  );
  return read(z.object({ inventory_level: level }), data, 'the stock change').inventory_level;
}

/** The stock-change input every action shares. */
export const stockChangeInput = z.object({
  /** The SKU, as the shop writes it. */
  sku: z.string().min(1),
  /** How many units. Webhook payloads may carry it as a number or numeric text. */
  qty: z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
    .pipe(z.number().int().min(1).max(1_000_000)),
  /** The location, in place of the config's `locationId`. */
  locationId: z.number().int().positive().optional(),
});
