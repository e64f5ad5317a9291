import { GatewayError } from '../../errors';
import { fromHex, hmac, safeEqual } from '../crypto';
import type { SignatureScheme } from '../scheme';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the body.
 * The SHA-1 `X-Hub-Signature` header is ignored on purpose. GitHub signs no
 * timestamp; replays are stopped by deduplicating `X-GitHub-Delivery`.
 */
export const github: SignatureScheme = {
  verify({ headers, raw, secrets }) {
    const header = headers.get('x-hub-signature-256');
    if (!header) throw new GatewayError('SIGNATURE_MISSING', 'missing X-Hub-Signature-256 header');
    if (!header.startsWith('sha256='))
      throw new GatewayError('SIGNATURE_INVALID', 'X-Hub-Signature-256 must start with sha256=');
    const claim = fromHex(header.slice('sha256='.length));
    for (const secret of secrets) {
      if (safeEqual(hmac(secret, raw), claim)) {
        return {
          ...(headers.get('x-github-delivery') ? { id: headers.get('x-github-delivery')! } : {}),
          ...(headers.get('x-github-event') ? { type: headers.get('x-github-event')! } : {}),
        };
      }
    }
    throw new GatewayError(
      'SIGNATURE_INVALID',
      'X-Hub-Signature-256 does not match the body and the webhook secret',
    );
  },
  identify: (meta) => meta,
};
