/** A stock location, as Shopify's `Location` resource. */
export interface Location {
  id: number;
  name: string;
  city: string;
  country_code: string;
  active: boolean;
}

/** What the shop sells, as Shopify's `InventoryItem`: the SKU lives here. */
export interface InventoryItem {
  id: number;
  sku: string;
  title: string;
  /** Unit price in cents, used by the sandbox's order events. */
  priceCents: number;
  cost: string;
  tracked: boolean;
  created_at: string;
  updated_at: string;
}

/** The quantity of one item at one location, as Shopify's `InventoryLevel`. */
export interface InventoryLevel {
  inventory_item_id: number;
  location_id: number;
  available: number;
  updated_at: string;
}

/** The seeded main location; it stocks every SKU. */
export const MAIN_WAREHOUSE_ID = 655441491;
/** The seeded second location; it stocks a few SKUs. */
export const BERLIN_STORE_ID = 655441492;

/** The seeded catalogue: SKUs with stock, `HOODIE-GRY-L` nearly sold out. */
export const SEED_STOCK = [
  { id: 808950810, sku: 'TSHIRT-BLK-M', title: 'Black T-shirt, M', priceCents: 2900, main: 120, berlin: 10 },
  { id: 808950811, sku: 'MUG-CERAMIC-12OZ', title: 'Ceramic mug, 12 oz', priceCents: 1500, main: 45 },
  { id: 808950812, sku: 'HOODIE-GRY-L', title: 'Grey hoodie, L', priceCents: 6500, main: 3 },
  { id: 808950813, sku: 'STICKER-PACK', title: 'Sticker pack', priceCents: 500, main: 500, berlin: 40 },
] as const;

/** Why a stock change was refused. */
export interface StockRefusal {
  status: 404 | 422;
  errors: string | Record<string, string[]>;
}

/** The shop's locations, items and levels. */
export class InventoryStore {
  readonly locations: Location[] = [
    { id: MAIN_WAREHOUSE_ID, name: 'Main Warehouse', city: 'Ottawa', country_code: 'CA', active: true },
    { id: BERLIN_STORE_ID, name: 'Berlin Store', city: 'Berlin', country_code: 'DE', active: true },
  ];
  items = new Map<number, InventoryItem>();
  private levels = new Map<string, InventoryLevel>();

  constructor() {
    this.reset();
  }

  reset(): void {
    const at = new Date().toISOString();
    this.items = new Map(
      SEED_STOCK.map((s) => [
        s.id,
        {
          id: s.id,
          sku: s.sku,
          title: s.title,
          priceCents: s.priceCents,
          cost: (s.priceCents / 200).toFixed(2),
          tracked: true,
          created_at: at,
          updated_at: at,
        },
      ]),
    );
    this.levels.clear();
    for (const s of SEED_STOCK) {
      this.setLevel(s.id, MAIN_WAREHOUSE_ID, s.main, at);
      if ('berlin' in s) this.setLevel(s.id, BERLIN_STORE_ID, s.berlin, at);
    }
  }

  itemBySku(sku: string): InventoryItem | undefined {
    return [...this.items.values()].find((i) => i.sku === sku);
  }

  /** Levels matching the item and location ids given (either list may be empty, not both). */
  levelsFor(itemIds: number[], locationIds: number[]): InventoryLevel[] {
    return [...this.levels.values()]
      .filter(
        (l) =>
          (itemIds.length === 0 || itemIds.includes(l.inventory_item_id)) &&
          (locationIds.length === 0 || locationIds.includes(l.location_id)),
      )
      .sort((a, b) => a.inventory_item_id - b.inventory_item_id || a.location_id - b.location_id);
  }

  /**
   * Adds `delta` to the available quantity. Unlike Shopify, which lets stock
   * go negative (overselling), the sandbox refuses with 422 so flows meet
   * "out of stock".
   */
  adjust(itemId: number, locationId: number, delta: number): InventoryLevel | StockRefusal {
    const level = this.levels.get(key(itemId, locationId));
    if (!level) return this.missing(itemId, locationId);
    if (level.available + delta < 0) {
      const sku = this.items.get(itemId)?.sku ?? String(itemId);
      return {
        status: 422,
        errors: {
          available: [`cannot be negative: ${sku} has ${level.available} available, adjustment was ${delta}`],
        },
      };
    }
    level.available += delta;
    level.updated_at = new Date().toISOString();
    return level;
  }

  set(itemId: number, locationId: number, available: number): InventoryLevel | StockRefusal {
    if (!this.items.has(itemId) || !this.locations.some((l) => l.id === locationId)) {
      return this.missing(itemId, locationId);
    }
    return this.setLevel(itemId, locationId, available, new Date().toISOString());
  }

  private setLevel(itemId: number, locationId: number, available: number, at: string): InventoryLevel {
    const level = { inventory_item_id: itemId, location_id: locationId, available, updated_at: at };
    this.levels.set(key(itemId, locationId), level);
    return level;
  }

  private missing(itemId: number, locationId: number): StockRefusal {
    if (!this.items.has(itemId)) return { status: 404, errors: 'Not Found' };
    return {
      status: 422,
      errors: { base: [`Inventory item ${itemId} is not stocked at location ${locationId}`] },
    };
  }
}

function key(itemId: number, locationId: number): string {
  return `${itemId}@${locationId}`;
}
