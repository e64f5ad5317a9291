import { defineAction, HttpError, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { inventoryError } from '../errors';
import { adjust, itemIdOf, levelsOf, locationFor, stockChangeInput } from '../stock';

/** The input schema of `reserve-stock`. */
export const reserveStockInput = stockChangeInput;

/** The output schema of `reserve-stock`. */
export const reserveStockOutput = z.object({
  sku: z.string(),
  inventoryItemId: z.number(),
  locationId: z.number(),
  reserved: z.number().int(),
  /** Units still available at the location after this reservation. */
  remaining: z.number().int(),
});

/** What a step gives `reserve-stock`, before defaults. */
export type ReserveStockInput = z.input<typeof reserveStockInput>;
/** What `reserve-stock` returns. */
export type ReserveStockOutput = z.output<typeof reserveStockOutput>;

/**
 * Takes `qty` units out of the available stock (`inventory_levels/adjust`
 * with a negative adjustment). The step's idempotency key goes in the
 * `Idempotency-Key` header, so a retried reservation is not taken twice.
 * Not enough stock fails with `OUT_OF_STOCK`, naming what is available;
 * pair it with `release-stock` as the compensation.
 */
export const reserveStock = defineAction({
  description: 'Reserves units of a SKU; OUT_OF_STOCK when too few are available. Output has `remaining`.',
  config,
  input: reserveStockInput,
  output: reserveStockOutput,
  examples: [
    {
      input: { sku: 'HOODIE-GRY-L', qty: 2 },
      output: {
        sku: 'HOODIE-GRY-L',
        inventoryItemId: 808950812,
        locationId: 655441491,
        reserved: 2,
        remaining: 1,
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
        delta: -input.qty,
        idempotencyKey,
      });
      return {
        sku: input.sku,
        inventoryItemId,
        locationId,
        reserved: input.qty,
        remaining: level.available ?? 0,
      };
    } catch (error) {
      if (error instanceof HttpError && error.status === 422) {
        const level = (await levelsOf(http, inventoryItemId, locationId))[0];
        if (level && (level.available ?? 0) < input.qty) {
          const available = level.available ?? 0;
          throw new NonRetryableError(
            `Out of stock: ${input.sku} has ${available} available at location ${locationId}, ${input.qty} requested`,
            {
              code: 'OUT_OF_STOCK',
              cause: error,
              details: { sku: input.sku, available, requested: input.qty, locationId },
            },
          );
        }
      }
      throw inventoryError(error, `reserve ${input.qty} × ${input.sku}`);
    }
  },
});
