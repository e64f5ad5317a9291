import type { ConnectorLimits } from '@baton/sdk';

/**
 * The API follows Shopify's REST Admin API, whose documented limit is the
 * default budget of every instance (a config's `limits` overrides it):
 * a bucket of 40 requests per app and store that drains at 2 requests per
 * second on the Standard plan (4 on Advanced, 20 on Plus). 40 requests in
 * any 20 seconds never overfills that bucket, and allows its burst.
 *
 * Source: https://shopify.dev/docs/api/admin-rest/usage/rate-limits
 */
export const INVENTORY_LIMITS: ConnectorLimits = { rate: { requests: 40, per: '20s' } };
