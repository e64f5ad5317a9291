import { GatewayError } from '../../errors';
import { fromHex, hmac, safeEqual } from '../crypto';
import type { SignatureScheme } from '../scheme';
import { checkTimestamp, signedTime } from '../timestamp';
import { bodyField } from './body-field';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, each `v1` an
 * HMAC-SHA256 of `t.body` keyed with the endpoint secret (`whsec_…` as
 * text). Several `v1` entries appear while Stripe rolls a secret.
 */
export const stripe: SignatureScheme = {
  verify({ headers, raw, secrets, toleranceMs, now }) {
    const header = headers.get('stripe-signature');
    if (!header) throw new GatewayError('SIGNATURE_MISSING', 'missing Stripe-Signature header');
    const parts = header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    });
    const t = parts.find(([key]) => key === 't')?.[1];
    const claims = parts.filter(([key]) => key === 'v1').map(([, value]) => fromHex(value));
    if (!t || claims.length === 0)
      throw new GatewayError('SIGNATURE_MISSING', 'Stripe-Signature has no t= or v1= entry');
    const at = checkTimestamp(t, now, toleranceMs);
    const signed = Buffer.concat([Buffer.from(`${t}.`), raw]);
    for (const secret of secrets) {
      const expected = hmac(secret, signed);
      if (claims.some((claim) => safeEqual(expected, claim))) return { time: signedTime(at) };
    }
    throw new GatewayError('SIGNATURE_INVALID', 'no v1 signature matches the body and the endpoint secret');
  },
  identify(meta, body) {
    const created = (body as { created?: unknown } | null)?.created;
    return {
      ...meta,
      ...(bodyField(body, 'id') ? { id: bodyField(body, 'id') } : {}),
      ...(bodyField(body, 'type') ? { type: bodyField(body, 'type') } : {}),
      ...(typeof created === 'number' ? { time: new Date(created * 1000).toISOString() } : {}),
    };
  },
};
