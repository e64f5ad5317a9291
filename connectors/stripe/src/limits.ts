import type { ConnectorLimits } from '@baton/sdk';
import type { StripeConfig } from './config';

/** Secret and restricted keys of test mode (a sandbox): `sk_test_…`, `rk_test_…`. */
const TEST_MODE_KEY = /^[sr]k_test_/;

/**
 * Stripe's documented global rate limit, the default budget of every
 * instance (a config's `limits` overrides it): 100 requests per second in
 * live mode, 25 in test mode (sandboxes), told apart by the key's prefix.
 * Stripe also limits some endpoints on their own (25 per second unless the
 * docs say otherwise; the Search and Files APIs 20) and the requests in
 * flight at once, without a figure; those answer 429, which pauses the
 * instance.
 *
 * Source: https://docs.stripe.com/rate-limits
 */
export function stripeLimits(config: StripeConfig): ConnectorLimits {
  return { rate: { requests: TEST_MODE_KEY.test(config.apiKey) ? 25 : 100, per: '1s' } };
}
