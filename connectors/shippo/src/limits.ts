import type { ConnectorLimits } from '@baton/sdk';
import type { ShippoConfig } from './config';

/**
 * Shippo's documented limits, the default budget of every instance (a
 * config's `limits` overrides it). Shippo counts requests per minute, per
 * endpoint and verb, with a tenth of the live figures in test mode (told
 * apart by the token's `shippo_test_` prefix). The tightest limit of what
 * the connector calls is creating shipments and transactions (POST): 500
 * per minute live, 50 in test mode; reading one object allows 4000 (400)
 * and tracking 500 (50). One budget covers every call, so it takes the
 * POST figure.
 *
 * Source: https://docs.goshippo.com/docs/api_concepts/ratelimits/
 */
export function shippoLimits(config: ShippoConfig): ConnectorLimits {
  return { rate: { requests: config.apiKey.startsWith('shippo_test_') ? 50 : 500, per: '1m' } };
}
