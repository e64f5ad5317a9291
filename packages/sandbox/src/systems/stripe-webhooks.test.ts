import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../server';
import { pause, startReceiver, waitUntil } from '../webhooks/_test-receiver';
import type { WebhookEndpointOptions } from '../webhooks/endpoint';
import { stripeSystem } from './stripe';

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, field by field, in assertions
type Json = Record<string, any>;

const secret = `whsec_${randomBytes(16).toString('hex')}`;
const verifier = new Stripe('sk_test_sandbox_signing_only');
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(statuses?: number[]) {
  const started = await startReceiver(statuses ? { statuses } : {});
  cleanups.push(started.close);
  return started;
}

async function sandbox(webhooks?: Record<string, WebhookEndpointOptions>): Promise<RunningSandbox> {
  const started = await startSandbox({ port: 0, systems: [stripeSystem], ...(webhooks ? { webhooks } : {}) });
  cleanups.push(started.close);
  return started;
}

/** The official client, its calls re-aimed under the sandbox's /stripe prefix over real HTTP. */
function stripeClient(running: RunningSandbox) {
  const underPrefix = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${running.url}/stripe${url.pathname}${url.search}`, init);
  };
  return new Stripe('sk_test_sandbox_a', {
    httpClient: Stripe.createFetchHttpClient(underPrefix as typeof fetch),
    maxNetworkRetries: 0,
  });
}

async function control(running: RunningSandbox, method: string, path: string, body?: unknown) {
  const res = await fetch(`${running.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
}

describe('stripe sandbox: webhooks', () => {
  it('sends payment_intent.succeeded after the delay, verified by stripe.webhooks.constructEvent', async () => {
    const gateway = await receiver();
    const running = await sandbox();
    const set = await control(running, 'PUT', '/webhooks/stripe', {
      url: `${gateway.url}/webhooks/stripe`,
      secret,
      delayMs: 300,
    });
    expect(set.status).toBe(200);
    expect(set.body.endpoint).toMatchObject({ delayMs: 300, mode: 'deliver', maxAttempts: 4 });
    expect(set.body.endpoint.secret).toBeUndefined();

    const confirmedAt = Date.now();
    const intent = await stripeClient(running).paymentIntents.create(
      {
        amount: 4200,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        metadata: { order: 'o-7' },
      },
      { idempotencyKey: 'order-o-7' },
    );
    expect(intent.status).toBe('succeeded');
    expect(gateway.received).toHaveLength(0);

    const [request] = await gateway.waitFor(1);
    expect(request!.at - confirmedAt).toBeGreaterThanOrEqual(280);
    expect(request!.path).toBe('/webhooks/stripe');
    const event = verifier.webhooks.constructEvent(
      request!.body,
      String(request!.headers['stripe-signature']),
      secret,
    );
    expect(event).toMatchObject({
      object: 'event',
      type: 'payment_intent.succeeded',
      livemode: false,
      api_version: expect.any(String),
      request: { id: intent.lastResponse.requestId, idempotency_key: 'order-o-7' },
      data: {
        object: { id: intent.id, status: 'succeeded', amount_received: 4200, metadata: { order: 'o-7' } },
      },
    });
    expect(event.id).toMatch(/^evt_/);
    expect(() =>
      verifier.webhooks.constructEvent(
        request!.body,
        String(request!.headers['stripe-signature']),
        `${secret}x`,
      ),
    ).toThrow();

    await waitUntil(() => running.state.webhooks.deliveries[0]?.status === 'delivered');
    const log = await control(running, 'GET', '/webhooks/deliveries?system=stripe');
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({
        eventId: event.id,
        type: 'payment_intent.succeeded',
        status: 'delivered',
        attempts: [expect.objectContaining({ status: 200 })],
      }),
    ]);
    const ledger = await control(running, 'GET', '/ledger?system=stripe&kind=webhook.sent');
    expect(ledger.body.effects).toEqual([expect.objectContaining({ ref: event.id })]);
  });

  it('sends one event per confirmation: an idempotent replay sends nothing more', async () => {
    const gateway = await receiver();
    const running = await sandbox({ stripe: { url: gateway.url, secret } });
    const stripe = stripeClient(running);
    const params = { amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true };
    await stripe.paymentIntents.create(params, { idempotencyKey: 'once' });
    await stripe.paymentIntents.create(params, { idempotencyKey: 'once' });
    await gateway.waitFor(1);
    await pause(150);
    expect(gateway.received).toHaveLength(1);
  });

  it('is set at start, and sends declines and 3-D Secure outcomes; events filters the types', async () => {
    const gateway = await receiver();
    const running = await sandbox({ stripe: { url: gateway.url, secret } });
    const stripe = stripeClient(running);
    await stripe.paymentIntents
      .create({
        amount: 900,
        currency: 'usd',
        payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds',
        confirm: true,
      })
      .catch(() => undefined);
    const pending = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    expect(pending.status).toBe('requires_action');
    await gateway.waitFor(2);

    const done = await control(running, 'POST', `/stripe/payment_intents/${pending.id}/authenticate`);
    expect(done).toMatchObject({
      status: 200,
      body: { paymentIntent: { id: pending.id, status: 'succeeded' } },
    });
    const types = (await gateway.waitFor(3)).map(
      (r) => verifier.webhooks.constructEvent(r.body, String(r.headers['stripe-signature']), secret).type,
    );
    expect(types).toEqual([
      'payment_intent.payment_failed',
      'payment_intent.requires_action',
      'payment_intent.succeeded',
    ]);
    expect((await stripe.paymentIntents.retrieve(pending.id)).status).toBe('succeeded');
    expect(
      (await control(running, 'POST', `/stripe/payment_intents/${pending.id}/authenticate`)).status,
    ).toBe(409);

    // Only the types asked for, and a failed authentication is a payment_failed.
    await control(running, 'PUT', '/webhooks/stripe', {
      url: gateway.url,
      secret,
      events: ['payment_intent.payment_failed'],
    });
    const another = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const failed = await control(running, 'POST', `/stripe/payment_intents/${another.id}/authenticate`, {
      result: 'fail',
    });
    expect(failed.body.paymentIntent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
    const [, , , last] = await gateway.waitFor(4);
    const event = verifier.webhooks.constructEvent(
      last!.body,
      String(last!.headers['stripe-signature']),
      secret,
    );
    expect(event).toMatchObject({
      type: 'payment_intent.payment_failed',
      data: { object: { id: another.id } },
    });
    await pause(100);
    expect(gateway.received).toHaveLength(4);
  });

  it('retries a failed delivery with backoff, signing each attempt anew, and logs every attempt', async () => {
    const gateway = await receiver([500, 503]);
    const running = await sandbox({ stripe: { url: gateway.url, secret, retryDelayMs: 100 } });
    await stripeClient(running).paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const [first, second, third] = await gateway.waitFor(3);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(90);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(190);
    expect(new Set([first!.body, second!.body, third!.body]).size).toBe(1);
    verifier.webhooks.constructEvent(third!.body, String(third!.headers['stripe-signature']), secret);
    await waitUntil(() => running.state.webhooks.deliveries[0]?.status === 'delivered');
    const [delivery] = (await control(running, 'GET', '/webhooks/deliveries')).body.deliveries;
    expect(delivery).toMatchObject({ status: 'delivered' });
    expect(delivery.attempts.map((a: Json) => a.status)).toEqual([500, 503, 200]);
  });

  it('gives up after maxAttempts, and records why an unreachable endpoint failed', async () => {
    const gateway = await receiver([500, 500, 500]);
    const running = await sandbox({ stripe: { url: gateway.url, secret, retryDelayMs: 20, maxAttempts: 2 } });
    const stripe = stripeClient(running);
    await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await waitUntil(() => running.state.webhooks.deliveries[0]?.status === 'failed');
    expect(gateway.received).toHaveLength(2);
    const failed = await control(running, 'GET', '/webhooks/deliveries?status=failed');
    expect(failed.body.deliveries).toHaveLength(1);
    expect(running.state.effects.filter((e) => e.kind === 'webhook.failed')).toHaveLength(1);

    // A port that was free a moment ago: nothing listens there now.
    const gone = await startReceiver();
    await gone.close();
    await control(running, 'PUT', '/webhooks/stripe', {
      url: `${gone.url}/webhooks/stripe`,
      secret,
      maxAttempts: 1,
    });
    await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await waitUntil(() => running.state.webhooks.deliveries[1]?.status === 'failed');
    const log = (await control(running, 'GET', '/webhooks/deliveries')).body.deliveries;
    expect(log[1]).toMatchObject({ status: 'failed', url: `${gone.url}/webhooks/stripe` });
    expect(log[1].attempts[0].error).toMatch(/ECONNREFUSED|connect/i);
  });

  it('withholds events in mode never, and forgets control-set endpoints on reset but not start ones', async () => {
    const gateway = await receiver();
    const running = await sandbox({ stripe: { url: gateway.url, secret, mode: 'never' } });
    const stripe = stripeClient(running);
    await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await pause(150);
    expect(gateway.received).toHaveLength(0);
    const log = await control(running, 'GET', '/webhooks/deliveries');
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({ type: 'payment_intent.succeeded', status: 'withheld', attempts: [] }),
    ]);

    await control(running, 'PUT', '/webhooks/stripe', { url: gateway.url, secret });
    await control(running, 'POST', '/reset');
    expect((await control(running, 'GET', '/webhooks/deliveries')).body.deliveries).toEqual([]);
    expect((await control(running, 'GET', '/webhooks')).body.endpoints.stripe).toMatchObject({
      mode: 'never',
    });
    expect((await control(running, 'DELETE', '/webhooks/stripe')).status).toBe(204);
    await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect((await control(running, 'GET', '/webhooks/deliveries')).body.deliveries).toEqual([]);
  });

  it('cancels deliveries still waiting when the sandbox closes', async () => {
    const gateway = await receiver();
    const running = await startSandbox({
      port: 0,
      systems: [stripeSystem],
      webhooks: { stripe: { url: gateway.url, secret, delayMs: 60_000 } },
    });
    await stripeClient(running).paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(running.state.webhooks.deliveries[0]).toMatchObject({
      status: 'scheduled',
      dueAt: expect.any(String),
    });
    await running.close();
    expect(running.state.webhooks.deliveries[0]?.status).toBe('cancelled');
    expect(gateway.received).toHaveLength(0);
  });
});

describe('stripe sandbox: the webhook control API', () => {
  it('refuses systems that send no webhooks, bad endpoints and types the system does not send', async () => {
    const running = await sandbox();
    expect((await control(running, 'GET', '/webhooks')).body).toEqual({
      endpoints: {},
      senders: {
        stripe: [
          'payment_intent.succeeded',
          'payment_intent.payment_failed',
          'payment_intent.requires_action',
        ],
      },
    });
    const unknown = await control(running, 'PUT', '/webhooks/bamboohr', { url: 'http://x.test', secret });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('senders: stripe');
    const badUrl = await control(running, 'PUT', '/webhooks/stripe', { url: 'ftp://x', secret });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toMatch(/http\(s\) URL/);
    const badType = await control(running, 'PUT', '/webhooks/stripe', {
      url: 'http://127.0.0.1:9/x',
      secret,
      events: ['charge.dispute.created'],
    });
    expect(badType).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('charge.dispute.created') } },
    });
    expect((await control(running, 'GET', '/webhooks/deliveries?status=lost')).status).toBe(400);
  });

  it('refuses a start option for a system that sends no webhooks, or an endpoint without a secret', async () => {
    await expect(
      startSandbox({
        port: 0,
        systems: [stripeSystem],
        webhooks: { slack: { url: 'http://x.test', secret } },
      }),
    ).rejects.toThrow(/webhooks\.slack: no mounted system/);
    await expect(
      startSandbox({
        port: 0,
        systems: [stripeSystem],
        webhooks: { stripe: { url: 'http://x.test', secret: '' } },
      }),
    ).rejects.toThrow(/webhooks\.stripe/);
  });
});
