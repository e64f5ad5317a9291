import { z } from 'zod';

/** The Admin API version the connector is written against. */
export const API_VERSION = '2024-10';

/**
 * The instance config in `baton.config.json`:
 *
 * ```json
 * "inventory": {
 *   "use": "@baton/connector-inventory",
 *   "config": { "shop": "acme", "accessToken": { "$env": "SHOP_TOKEN" }, "locationId": 655441491 }
 * }
 * ```
 */
export const config = z.object({
  /** The shop: `acme` or `acme.myshopify.com`. */
  shop: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*(\.myshopify\.com)?$/i, { error: 'must be the shop name, such as "acme"' }),
  /** An Admin API access token, sent in `X-Shopify-Access-Token`. */
  accessToken: z.string().min(1),
  /**
   * The whole API base, in place of `https://{shop}.myshopify.com/admin/api/2024-10`;
   * the sandbox's is `http://127.0.0.1:4010/inventory/admin/api/2024-10`.
   * @default `https://{shop}.myshopify.com/admin/api/2024-10`
   */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The location stock is reserved at and released to, unless a step names
   * one. Without it, the item's first location (lowest id) is used.
   * @default none
   */
  locationId: z.number().int().positive().optional(),
});

/** An instance config after validation and defaults. */
export type InventoryConfig = z.output<typeof config>;

/** Where the instance's API lives. */
export function apiBase(cfg: InventoryConfig): string {
  if (cfg.baseUrl) return cfg.baseUrl;
  const host = cfg.shop.includes('.') ? cfg.shop : `${cfg.shop}.myshopify.com`;
  return `https://${host}/admin/api/${API_VERSION}`;
}
