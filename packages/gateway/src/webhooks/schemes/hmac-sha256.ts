import { createHash } from 'node:crypto';
import type { VerifyConfig } from '@baton/runtime';
import { GatewayError } from '../../errors';
import { fromBase64, fromHex, hmac, safeEqual } from '../crypto';
import type { SignatureScheme } from '../scheme';
import { bodyField } from './body-field';

type HmacConfig = Extract<VerifyConfig, { scheme: 'hmac-sha256' }>;

/**
 * Plain HMAC-SHA256 of the body in a header of the source's choosing, hex
 * or base64, with an optional prefix such as `sha256=`. The event id comes
 * from `idHeader`, else it is the body's SHA-256, so a resent identical body
 * is a duplicate; the type from `typeHeader`, else the body's `type`.
 */
export function hmacSha256(config: HmacConfig): SignatureScheme {
  const header = (config.header ?? 'X-Signature').toLowerCase();
  const prefix = config.prefix ?? '';
  const decode = config.encoding === 'base64' ? fromBase64 : fromHex;
  return {
    verify({ headers, raw, secrets }) {
      const value = headers.get(header);
      if (!value)
        throw new GatewayError('SIGNATURE_MISSING', `missing ${config.header ?? 'X-Signature'} header`);
      if (prefix && !value.startsWith(prefix)) {
        throw new GatewayError('SIGNATURE_INVALID', `the signature must start with "${prefix}"`);
      }
      const claim = decode(value.slice(prefix.length).trim());
      for (const secret of secrets) {
        if (safeEqual(hmac(secret, raw), claim)) {
          const id = config.idHeader ? headers.get(config.idHeader.toLowerCase()) : null;
          const type = config.typeHeader ? headers.get(config.typeHeader.toLowerCase()) : null;
          return { ...(id ? { id } : {}), ...(type ? { type } : {}) };
        }
      }
      throw new GatewayError('SIGNATURE_INVALID', 'the signature does not match the body and the secret');
    },
    identify(meta, body, raw) {
      return {
        id: meta.id ?? createHash('sha256').update(raw).digest('hex'),
        type: meta.type ?? bodyField(body, 'type') ?? 'webhook',
        ...(meta.time ? { time: meta.time } : {}),
      };
    },
  };
}
