import { createHmac, randomUUID } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { SECRETS } from './gateway-fixture';

const stripe = new Stripe('sk_test_unused');

/** Signs like each vendor's official library does. */
export const signers = {
  standard(body: string, options: { id?: string; at?: Date; secret?: string; svix?: boolean } = {}) {
    const id = options.id ?? `msg_${randomUUID()}`;
    const at = options.at ?? new Date();
    const signature = new Webhook(options.secret ?? SECRETS.shop).sign(id, at, body);
    const prefix = options.svix ? 'svix' : 'webhook';
    return {
      [`${prefix}-id`]: id,
      [`${prefix}-timestamp`]: String(Math.floor(at.getTime() / 1000)),
      [`${prefix}-signature`]: signature,
      'content-type': 'application/json',
    };
  },
  stripe(body: string, options: { at?: Date; secret?: string } = {}) {
    const timestamp = Math.floor((options.at ?? new Date()).getTime() / 1000);
    const header = stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: options.secret ?? SECRETS.stripe,
      timestamp,
    });
    return { 'stripe-signature': header, 'content-type': 'application/json' };
  },
  async github(body: string, options: { event?: string; delivery?: string; secret?: string } = {}) {
    return {
      'x-hub-signature-256': await githubSign(options.secret ?? SECRETS.github, body),
      'x-github-event': options.event ?? 'push',
      'x-github-delivery': options.delivery ?? randomUUID(),
      'content-type': 'application/json',
    };
  },
  shopify(body: string, options: { topic?: string; id?: string; secret?: string } = {}) {
    return {
      'x-shopify-hmac-sha256': createHmac('sha256', options.secret ?? SECRETS.shopify)
        .update(body)
        .digest('base64'),
      'x-shopify-topic': options.topic ?? 'orders/create',
      'x-shopify-webhook-id': options.id ?? randomUUID(),
      'content-type': 'application/json',
    };
  },
  legacy(body: string, secret = SECRETS.legacy) {
    return {
      'x-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      'content-type': 'application/json',
    };
  },
};

/** A Standard Webhooks payload as senders post it. */
export function orderBody(data: Record<string, unknown> = { sku: 'A-1', qty: 2 }, type = 'order.created') {
  return JSON.stringify({ type, timestamp: new Date().toISOString(), data });
}
