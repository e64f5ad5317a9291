import { GatewayError } from '../../errors';
import { fromBase64, hmac, keyOf, safeEqual } from '../crypto';
import type { SignatureScheme } from '../scheme';
import { checkTimestamp, signedTime } from '../timestamp';
import { bodyField } from './body-field';

/**
 * Standard Webhooks (standardwebhooks.com), also sent by Svix with `svix-*`
 * headers: `webhook-signature` holds space-separated `v1,<base64>` entries
 * (several during the sender's secret rotation), each an HMAC-SHA256 of
 * `id.timestamp.body` keyed with the base64 secret after `whsec_`.
 */
export const standardWebhooks: SignatureScheme = {
  verify({ headers, raw, secrets, toleranceMs, now }) {
    const id = headers.get('webhook-id') ?? headers.get('svix-id') ?? undefined;
    const timestamp = headers.get('webhook-timestamp') ?? headers.get('svix-timestamp') ?? undefined;
    const signature = headers.get('webhook-signature') ?? headers.get('svix-signature') ?? undefined;
    if (!id || !timestamp || !signature) {
      throw new GatewayError(
        'SIGNATURE_MISSING',
        'missing webhook-id, webhook-timestamp or webhook-signature header',
      );
    }
    const at = checkTimestamp(timestamp, now, toleranceMs);
    const claims: Buffer[] = [];
    for (const entry of signature.split(' ')) {
      const [version, value] = entry.split(',');
      if (version === 'v1' && value) claims.push(fromBase64(value));
    }
    const prefix = `${id}.${timestamp}.`;
    for (const secret of secrets) {
      const expected = hmac(keyOf(secret, decodeSecret), prefix, raw);
      if (claims.some((claim) => safeEqual(expected, claim))) return { id, time: signedTime(at) };
    }
    throw new GatewayError(
      'SIGNATURE_INVALID',
      'no webhook-signature entry matches the body and the source secret',
    );
  },
  identify(meta, body) {
    const type = bodyField(body, 'type');
    return type ? { id: meta.id, type, time: meta.time } : meta;
  },
};

/** `whsec_<base64>`: the key is the decoded bytes after the prefix. */
function decodeSecret(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}
