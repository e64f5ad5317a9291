import { createHmac, randomBytes } from 'node:crypto';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { newEventId, webhookBody } from './envelope';
import { signWebhook } from './sign';

const payload = { type: 'order.created', data: { sku: 'TSHIRT-BLK-M', qty: 2, note: 'ünïcödé ✓' } };
const stripe = new Stripe('sk_test_sandbox_signing_only');

describe('signWebhook, checked by the official verifying libraries', () => {
  it('standard-webhooks: standardwebhooks Webhook.verify accepts it', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const { headers, body } = signWebhook({
      scheme: 'standard-webhooks',
      secret,
      id: 'msg_1',
      type: 'x',
      body: payload,
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual(payload);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('standard-webhooks: a wrong secret or a changed body fails verification', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const signed = signWebhook({
      scheme: 'standard-webhooks',
      secret,
      id: 'msg_2',
      type: 'x',
      body: payload,
    });
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => new Webhook(other).verify(signed.body, signed.headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${signed.body} `, signed.headers)).toThrow();
  });

  it('standard-webhooks: refuses a secret that is not base64', () => {
    expect(() =>
      signWebhook({
        scheme: 'standard-webhooks',
        secret: 'whsec_not base64!',
        id: 'm',
        type: 'x',
        body: '{}',
      }),
    ).toThrow(/must be base64/);
  });

  it('stripe: stripe.webhooks.constructEvent accepts it and returns the event', () => {
    const secret = `whsec_${randomBytes(16).toString('hex')}`;
    const event = webhookBody('stripe', {
      id: 'evt_1',
      type: 'payment_intent.payment_failed',
      data: { id: 'pi_1' },
    });
    const { headers, body } = signWebhook({ scheme: 'stripe', secret, id: 'evt_1', type: 'x', body: event });
    const verified = stripe.webhooks.constructEvent(body, headers['Stripe-Signature']!, secret);
    expect(verified).toMatchObject({ id: 'evt_1', object: 'event', type: 'payment_intent.payment_failed' });
    expect(() => stripe.webhooks.constructEvent(body, headers['Stripe-Signature']!, `${secret}x`)).toThrow();
  });

  it('stripe: an old timestamp falls outside the library tolerance', () => {
    const secret = 'whsec_old';
    const timestamp = Math.floor(Date.now() / 1000) - 3600;
    const { headers, body } = signWebhook({
      scheme: 'stripe',
      secret,
      id: 'evt',
      type: 'x',
      body: '{}',
      timestamp,
    });
    expect(headers['Stripe-Signature']).toMatch(new RegExp(`^t=${timestamp},v1=[0-9a-f]{64}$`));
    expect(() => stripe.webhooks.constructEvent(body, headers['Stripe-Signature']!, secret)).toThrow(
      /tolerance/i,
    );
  });

  it('github: @octokit/webhooks-methods verify accepts it', async () => {
    const secret = "It's a Secret to Everybody";
    const { headers, body } = signWebhook({
      scheme: 'github',
      secret,
      id: 'd-1',
      type: 'push',
      body: payload,
    });
    expect(await verifyGithub(secret, body, headers['X-Hub-Signature-256']!)).toBe(true);
    expect(await verifyGithub('other', body, headers['X-Hub-Signature-256']!)).toBe(false);
    expect(headers).toMatchObject({ 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'd-1' });
  });

  it('github: matches the documented test vector', () => {
    // From GitHub's "Validating webhook deliveries" page.
    const { headers } = signWebhook({
      scheme: 'github',
      secret: "It's a Secret to Everybody",
      id: 'd',
      type: 'ping',
      body: 'Hello, World!',
    });
    expect(headers['X-Hub-Signature-256']).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('shopify: the base64 HMAC of the raw body, with topic, id and shop headers', () => {
    const secret = 'shpss_sandbox';
    const { headers, body } = signWebhook({
      scheme: 'shopify',
      secret,
      id: 'w-1',
      type: 'orders/create',
      body: payload,
    });
    expect(headers['X-Shopify-Hmac-Sha256']).toBe(createHmac('sha256', secret).update(body).digest('base64'));
    expect(headers).toMatchObject({
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Webhook-Id': 'w-1',
      'X-Shopify-Shop-Domain': 'baton-sandbox.myshopify.com',
    });
  });

  it('hmac-sha256: configurable header, encoding, prefix, id and type headers', () => {
    const secret = 'legacy-secret';
    const hex = signWebhook({ scheme: 'hmac-sha256', secret, id: 'e1', type: 't', body: 'raw body' });
    expect(hex.headers['X-Signature']).toBe(createHmac('sha256', secret).update('raw body').digest('hex'));
    const custom = signWebhook({
      scheme: 'hmac-sha256',
      secret,
      id: 'e1',
      type: 'order.created',
      body: 'raw body',
      header: 'X-Acme-Signature',
      encoding: 'base64',
      prefix: 'sha256=',
      idHeader: 'X-Acme-Event-Id',
      typeHeader: 'X-Acme-Event',
    });
    expect(custom.headers).toMatchObject({
      'X-Acme-Signature': `sha256=${createHmac('sha256', secret).update('raw body').digest('base64')}`,
      'X-Acme-Event-Id': 'e1',
      'X-Acme-Event': 'order.created',
    });
    expect(custom.headers['X-Signature']).toBeUndefined();
  });

  it('sends strings as they are and refuses empty secrets and unknown schemes', () => {
    expect(signWebhook({ scheme: 'github', secret: 's', id: 'i', type: 't', body: '{"a" : 1}' }).body).toBe(
      '{"a" : 1}',
    );
    expect(() => signWebhook({ scheme: 'github', secret: '', id: 'i', type: 't', body: '' })).toThrow(
      /secret/,
    );
    expect(() =>
      signWebhook({ scheme: 'svix' as 'github', secret: 's', id: 'i', type: 't', body: '' }),
    ).toThrow(/unknown scheme "svix"/);
  });
});

describe('webhookBody and newEventId', () => {
  it('wrap data as each sender does', () => {
    const event = {
      id: 'evt_9',
      type: 'order.created',
      data: { sku: 'A' },
      time: new Date('2025-01-02T03:04:05Z'),
    };
    expect(webhookBody('standard-webhooks', event)).toEqual({
      type: 'order.created',
      timestamp: '2025-01-02T03:04:05.000Z',
      data: { sku: 'A' },
    });
    expect(webhookBody('stripe', event)).toMatchObject({
      id: 'evt_9',
      object: 'event',
      created: 1735787045,
      type: 'order.created',
      data: { object: { sku: 'A' } },
    });
    expect(webhookBody('github', event)).toEqual({ sku: 'A' });
    expect(webhookBody('hmac-sha256', event)).toMatchObject({
      id: 'evt_9',
      type: 'order.created',
      data: { sku: 'A' },
    });
    expect(newEventId('stripe')).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(newEventId('standard-webhooks')).toMatch(/^msg_/);
  });
});
