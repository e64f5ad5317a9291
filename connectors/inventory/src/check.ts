import type { CheckContext } from '@baton/sdk';
import type { InventoryConfig } from './config';
import { inventoryError } from './errors';

/**
 * The credentials check: `GET /locations.json`, the shop's few locations,
 * a read that changes nothing (on Shopify it needs the `read_locations`
 * scope). A refused token fails with `INVENTORY_UNAUTHORIZED` (401) or
 * `INVENTORY_FORBIDDEN` (403) and the API's message.
 */
export async function checkCredentials({ http }: CheckContext<InventoryConfig>): Promise<void> {
  try {
    await http.get('/locations.json');
  } catch (error) {
    throw inventoryError(error, 'list the locations');
  }
}
