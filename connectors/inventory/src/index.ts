import { defineConnector } from '@baton/sdk';
import { checkStock } from './actions/check-stock';
import { releaseStock } from './actions/release-stock';
import { reserveStock } from './actions/reserve-stock';
import { checkCredentials } from './check';
import { apiBase, config } from './config';
import { INVENTORY_LIMITS } from './limits';

/**
 * `@baton/connector-inventory`: stock by SKU in a Shopify-style inventory
 * API (Admin REST `inventory_items` and `inventory_levels`).
 *
 * @example
 * ```json
 * { "id": "stock", "action": "inventory.reserve-stock",
 *   "input": { "sku": "{{ event.data.sku }}", "qty": "{{ event.data.qty }}" },
 *   "compensate": { "action": "inventory.release-stock",
 *                   "input": { "sku": "{{ event.data.sku }}", "qty": "{{ event.data.qty }}" } } }
 * ```
 *
 * @module
 */
export default defineConnector({
  name: 'inventory',
  version: '0.1.0',
  description: 'Shopify-style inventory: check, reserve and release stock by SKU.',
  config,
  http: (cfg) => ({ baseURL: apiBase(cfg), headers: { 'X-Shopify-Access-Token': cfg.accessToken } }),
  limits: INVENTORY_LIMITS,
  check: checkCredentials,
  actions: {
    'check-stock': checkStock,
    'reserve-stock': reserveStock,
    'release-stock': releaseStock,
  },
});

export type { CheckStockInput, CheckStockOutput } from './actions/check-stock';
export type { ReleaseStockInput, ReleaseStockOutput } from './actions/release-stock';
export type { ReserveStockInput, ReserveStockOutput } from './actions/reserve-stock';
export { config, type InventoryConfig } from './config';
