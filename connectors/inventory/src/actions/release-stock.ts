import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { inventoryError } from '../errors';
import { adjust, itemIdOf, locationFor, stockChangeInput } from '../stock';

/** The input schema of `release-stock`. */
export const releaseStockInput = stockChangeInput;

/** The output schema of `release-stock`. */
export const releaseStockOutput = z.object({
  sku: z.string(),
  inventoryItemId: z.number(),
  locationId: z.number(),
  released: z.number().int(),
  /** Units available at the location after the release. */
  available: z.number().int(),
});

/** What a step gives `release-stock`, before defaults. */
export type ReleaseStockInput = z.input<typeof releaseStockInput>;
/** What `release-stock` returns. */
export type ReleaseStockOutput = z.output<typeof releaseStockOutput>;

/**
 * Puts `qty` units back (a positive adjustment): the compensation of
 * `reserve-stock`. Sent with the step's `Idempotency-Key`, so a retried
 * compensation does not add the units twice. Give it the same `sku`, `qty`
 * and location as the reservation.
 */
export const releaseStock = defineAction({
  description: 'Releases reserved units of a SKU back into stock (compensation for reserve-stock).',
  config,
  input: releaseStockInput,
  output: releaseStockOutput,
  examples: [
    {
      input: { sku: 'HOODIE-GRY-L', qty: 2 },
      output: {
        sku: 'HOODIE-GRY-L',
        inventoryItemId: 808950812,
        locationId: 655441491,
        released: 2,
        available: 3,
      },
    },
  ],
  async run({ input, config: cfg, http, idempotencyKey }) {
    const inventoryItemId = await itemIdOf(http, input.sku);
    const locationId = await locationFor(http, inventoryItemId, input.sku, input.locationId, cfg.locationId);
    try {
      const level = await adjust(http, {
        itemId: inventoryItemId,
        locationId,
        delta: input.qty,
        idempotencyKey,
      });
      return {
        sku: input.sku,
        inventoryItemId,
        locationId,
        released: input.qty,
        available: level.available ?? 0,
      };
    } catch (error) {
      throw inventoryError(error, `release ${input.qty} × ${input.sku}`);
    }
  },
});
