import { GatewayError } from '../../errors';
import { fromBase64, hmac, safeEqual } from '../crypto';
import type { SignatureScheme } from '../scheme';

/**
 * Shopify: `X-Shopify-Hmac-Sha256`, the base64 HMAC-SHA256 of the body keyed
 * with the app's client secret. Id and topic come from
 * `X-Shopify-Webhook-Id` (or `X-Shopify-Event-Id`) and `X-Shopify-Topic`.
 */
export const shopify: SignatureScheme = {
  verify({ headers, raw, secrets }) {
    const header = headers.get('x-shopify-hmac-sha256');
    if (!header) throw new GatewayError('SIGNATURE_MISSING', 'missing X-Shopify-Hmac-Sha256 header');
    const claim = fromBase64(header.trim());
    for (const secret of secrets) {
      if (safeEqual(hmac(secret, raw), claim)) {
        const id = headers.get('x-shopify-webhook-id') ?? headers.get('x-shopify-event-id');
        const type = headers.get('x-shopify-topic');
        const triggered = headers.get('x-shopify-triggered-at');
        return {
          ...(id ? { id } : {}),
          ...(type ? { type } : {}),
          ...(triggered && !Number.isNaN(Date.parse(triggered))
            ? { time: new Date(triggered).toISOString() }
            : {}),
        };
      }
    }
    throw new GatewayError(
      'SIGNATURE_INVALID',
      'X-Shopify-Hmac-Sha256 does not match the body and the secret',
    );
  },
  identify: (meta) => meta,
};
