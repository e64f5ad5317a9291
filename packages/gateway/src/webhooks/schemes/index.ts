import type { VerifyConfig } from '@baton/runtime';
import type { SignatureScheme } from '../scheme';
import { github } from './github';
import { hmacSha256 } from './hmac-sha256';
import { shopify } from './shopify';
import { standardWebhooks } from './standard-webhooks';
import { stripe } from './stripe';

/** The scheme a source's `verify` names. */
export function schemeFor(verify: VerifyConfig): SignatureScheme {
  switch (verify.scheme) {
    case 'standard-webhooks':
      return standardWebhooks;
    case 'stripe':
      return stripe;
    case 'github':
      return github;
    case 'shopify':
      return shopify;
    case 'hmac-sha256':
      return hmacSha256(verify);
  }
}
