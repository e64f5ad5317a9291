import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { itemIdOf, levelsOf } from '../stock';

/** The input schema of `check-stock`. */
export const checkStockInput = z.object({
  sku: z.string().min(1),
  /** Count one location only. @default every location */
  locationId: z.number().int().positive().optional(),
});

/** The output schema of `check-stock`. */
export const checkStockOutput = z.object({
  sku: z.string(),
  inventoryItemId: z.number(),
  /** Units available over the locations counted. */
  available: z.number().int(),
  locations: z.array(z.object({ locationId: z.number(), available: z.number().int() })),
});

/** What a step gives `check-stock`, before defaults. */
export type CheckStockInput = z.input<typeof checkStockInput>;
/** What `check-stock` returns. */
export type CheckStockOutput = z.output<typeof checkStockOutput>;

/** Looks the SKU up, then reads its `inventory_levels`. */
export const checkStock = defineAction({
  description: 'Reads how many units of a SKU are available, in total and per location.',
  config,
  input: checkStockInput,
  output: checkStockOutput,
  examples: [
    {
      input: { sku: 'TSHIRT-BLK-M' },
      output: {
        sku: 'TSHIRT-BLK-M',
        inventoryItemId: 808950810,
        available: 130,
        locations: [
          { locationId: 655441491, available: 120 },
          { locationId: 655441492, available: 10 },
        ],
      },
    },
  ],
  async run({ input, http }) {
    const inventoryItemId = await itemIdOf(http, input.sku);
    const levels = await levelsOf(http, inventoryItemId, input.locationId);
    const locations = levels.map((l) => ({ locationId: l.location_id, available: l.available ?? 0 }));
    return {
      sku: input.sku,
      inventoryItemId,
      available: locations.reduce((sum, l) => sum + l.available, 0),
      locations,
    };
  },
});
