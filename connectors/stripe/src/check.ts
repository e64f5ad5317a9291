import type { CheckContext } from '@baton/sdk';
import type { StripeConfig } from './config';
import { fromStripeFailure } from './errors';

/** A PaymentIntent id no account has: Stripe checks the key before it looks the object up. */
const PROBE = '/v1/payment_intents/pi_baton_credentials_check';

/**
 * The credentials check: one read of a PaymentIntent that does not exist.
 * Stripe answers 404 `resource_missing` to a key it accepts and that may
 * read PaymentIntents (what the connector's actions need; a restricted key
 * without that permission gets 403 `permission_error`), and 401 to a key it
 * does not know. Nothing is read or written.
 */
export async function checkCredentials({ http }: CheckContext<StripeConfig>): Promise<void> {
  try {
    await http.get(PROBE);
  } catch (error) {
    const failure = fromStripeFailure(error);
    if ((failure as { code?: unknown }).code === 'resource_missing') return;
    throw failure;
  }
}
