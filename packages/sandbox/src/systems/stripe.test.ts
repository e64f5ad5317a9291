import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { stripeSystem } from './stripe';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely, field by field, in assertions
type Json = Record<string, any>;

const KEY = 'sk_test_sandbox_a';

function setup() {
  const { app, state } = createSandboxApp({ systems: [stripeSystem] });
  const call = async (
    method: string,
    path: string,
    options: { form?: string; json?: unknown; key?: string; idempotencyKey?: string; account?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.key !== '') headers.authorization = `Bearer ${options.key ?? KEY}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.account) headers['stripe-account'] = options.account;
    let body: string | undefined;
    if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = options.form;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await app.request(`/stripe${path}`, { method, headers, ...(body ? { body } : {}) });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Json,
    };
  };
  return { call, state };
}

describe('stripe sandbox: payment intents', () => {
  it('creates an intent from a form body with bracket notation and confirms it with pm_card_visa', async () => {
    const { call, state } = setup();
    const created = await call('POST', '/v1/payment_intents', {
      form: 'amount=2000&currency=USD&metadata[order]=o-1&payment_method_types[0]=card',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: 'payment_intent',
      amount: 2000,
      currency: 'usd',
      status: 'requires_payment_method',
      metadata: { order: 'o-1' },
      payment_method_types: ['card'],
    });
    expect(created.body.id).toMatch(/^pi_/);
    expect(created.headers.get('request-id')).toMatch(/^req_/);

    const confirmed = await call('POST', `/v1/payment_intents/${created.body.id}/confirm`, {
      form: 'payment_method=pm_card_visa',
    });
    expect(confirmed.body).toMatchObject({ status: 'succeeded', amount_received: 2000 });
    expect(confirmed.body.payment_method).toMatch(/^pm_/);
    expect(confirmed.body.latest_charge).toMatch(/^ch_/);

    const fetched = await call('GET', `/v1/payment_intents/${created.body.id}`);
    expect(fetched.body.status).toBe('succeeded');
    const charges = state.effects.filter((e) => e.kind === 'charge.succeeded');
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      system: 'stripe',
      ref: created.body.id,
      data: { amount: 2000, metadata: { order: 'o-1' } },
    });
  });

  it('accepts JSON bodies too, and says requires_confirmation until confirmed', async () => {
    const { call } = setup();
    const created = await call('POST', '/v1/payment_intents', {
      json: { amount: 500, currency: 'eur', payment_method: 'pm_card_mastercard' },
    });
    expect(created.body).toMatchObject({ status: 'requires_confirmation', currency: 'eur' });
  });

  it.each([
    ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', undefined],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', undefined],
  ])('declines %s with a 402 card_error %s/%s', async (method, code, declineCode) => {
    const { call, state } = setup();
    const declined = await call('POST', '/v1/payment_intents', {
      form: `amount=1500&currency=usd&confirm=true&payment_method=${method}`,
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: 'card_error', code });
    expect(declined.body.error.decline_code).toBe(declineCode);
    expect(declined.body.error.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code },
    });
    expect(state.effects.filter((e) => e.kind === 'charge.succeeded')).toEqual([]);
    expect(state.effects.filter((e) => e.kind === 'charge.failed')).toHaveLength(1);
  });

  it('asks for authentication on a 3DS card, and declines it off-session', async () => {
    const { call } = setup();
    const onSession = await call('POST', '/v1/payment_intents', {
      form: 'amount=1500&currency=usd&confirm=true&payment_method=pm_card_threeDSecure2Required',
    });
    expect(onSession.body).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'use_stripe_sdk' },
    });
    const offSession = await call('POST', '/v1/payment_intents', {
      form: 'amount=1500&currency=usd&confirm=true&off_session=true&payment_method=pm_card_threeDSecure2Required',
    });
    expect(offSession.status).toBe(402);
    expect(offSession.body.error.decline_code).toBe('authentication_required');
  });

  it('makes payment methods from test card numbers: 4242… succeeds, 4000…0002 declines, bad Luhn is refused', async () => {
    const { call } = setup();
    const good = await call('POST', '/v1/payment_methods', {
      form: 'type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2034&card[cvc]=123',
    });
    expect(good.body).toMatchObject({ object: 'payment_method', card: { brand: 'visa', last4: '4242' } });
    const paid = await call('POST', '/v1/payment_intents', {
      form: `amount=900&currency=usd&confirm=true&payment_method=${good.body.id}`,
    });
    expect(paid.body.status).toBe('succeeded');

    const bad = await call('POST', '/v1/payment_methods', {
      form: 'type=card&card[number]=4000000000000002&card[exp_month]=12&card[exp_year]=2034',
    });
    const declined = await call('POST', '/v1/payment_intents', {
      form: `amount=900&currency=usd&confirm=true&payment_method=${bad.body.id}`,
    });
    expect(declined.body.error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });

    const luhn = await call('POST', '/v1/payment_methods', {
      form: 'type=card&card[number]=4242424242424241&card[exp_month]=12&card[exp_year]=2034',
    });
    expect(luhn.status).toBe(402);
    expect(luhn.body.error.code).toBe('incorrect_number');
  });

  it('answers Stripe-shaped validation errors naming the parameter', async () => {
    const { call } = setup();
    const missing = await call('POST', '/v1/payment_intents', { form: 'currency=usd' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'parameter_missing',
      param: 'amount',
    });
    const unknown = await call('POST', '/v1/payment_intents', { form: 'amount=100&currency=usd&colour=red' });
    expect(unknown.body.error).toMatchObject({ code: 'parameter_unknown', param: 'colour' });
    const notFound = await call('GET', '/v1/payment_intents/pi_nope');
    expect(notFound.status).toBe(404);
    expect(notFound.body.error).toMatchObject({
      code: 'resource_missing',
      message: "No such payment_intent: 'pi_nope'",
    });
    const unknownUrl = await call('GET', '/v1/customers');
    expect(unknownUrl.status).toBe(404);
    expect(unknownUrl.body.error.message).toBe('Unrecognized request URL (GET: /v1/customers).');
    const noKey = await call('GET', '/v1/payment_intents/pi_nope', { key: '' });
    expect(noKey.status).toBe(401);
  });

  it('refuses to confirm an intent twice', async () => {
    const { call } = setup();
    const paid = await call('POST', '/v1/payment_intents', {
      form: 'amount=100&currency=usd&confirm=true&payment_method=pm_card_visa',
    });
    const again = await call('POST', `/v1/payment_intents/${paid.body.id}/confirm`, { form: '' });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('payment_intent_unexpected_state');
  });
});

describe('stripe sandbox: idempotency', () => {
  const form = 'amount=2500&currency=usd&confirm=true&payment_method=pm_card_visa&metadata[order]=o-9';

  it('replays the saved response for the same key and parameters, and charges once', async () => {
    const { call, state } = setup();
    const first = await call('POST', '/v1/payment_intents', { form, idempotencyKey: 'order-o-9' });
    const second = await call('POST', '/v1/payment_intents', {
      // Same parameters in another order: Stripe compares parameters, not bytes.
      form: 'metadata[order]=o-9&payment_method=pm_card_visa&confirm=true&currency=usd&amount=2500',
      idempotencyKey: 'order-o-9',
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(state.effects.filter((e) => e.kind === 'charge.succeeded')).toHaveLength(1);
  });

  it('replays a decline too', async () => {
    const { call, state } = setup();
    const body = 'amount=700&currency=usd&confirm=true&payment_method=pm_card_visa_chargeDeclined';
    const first = await call('POST', '/v1/payment_intents', { form: body, idempotencyKey: 'k-decline' });
    const second = await call('POST', '/v1/payment_intents', { form: body, idempotencyKey: 'k-decline' });
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.body).toEqual(first.body);
    expect(state.effects.filter((e) => e.kind === 'charge.failed')).toHaveLength(1);
  });

  it('rejects the same key with other parameters or another endpoint', async () => {
    const { call } = setup();
    await call('POST', '/v1/payment_intents', { form, idempotencyKey: 'k-1' });
    const other = await call('POST', '/v1/payment_intents', {
      form: form.replace('2500', '2600'),
      idempotencyKey: 'k-1',
    });
    expect(other.status).toBe(400);
    expect(other.body.error.type).toBe('idempotency_error');
    expect(other.body.error.message).toContain('same parameters');
    const elsewhere = await call('POST', '/v1/refunds', {
      form: 'payment_intent=pi_x',
      idempotencyKey: 'k-1',
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toContain('same endpoint');
  });

  it('scopes keys to the secret key and the connected account', async () => {
    const { call, state } = setup();
    await call('POST', '/v1/payment_intents', { form, idempotencyKey: 'shared' });
    const otherKey = await call('POST', '/v1/payment_intents', {
      form,
      idempotencyKey: 'shared',
      key: 'sk_test_b',
    });
    const otherAccount = await call('POST', '/v1/payment_intents', {
      form,
      idempotencyKey: 'shared',
      account: 'acct_1',
    });
    expect(otherKey.headers.get('idempotent-replayed')).toBeNull();
    expect(otherAccount.headers.get('idempotent-replayed')).toBeNull();
    expect(state.effects.filter((e) => e.kind === 'charge.succeeded')).toHaveLength(3);
  });

  it('saves nothing for a request that fails validation', async () => {
    const { call } = setup();
    const bad = await call('POST', '/v1/payment_intents', { form: 'currency=usd', idempotencyKey: 'k-bad' });
    expect(bad.status).toBe(400);
    const good = await call('POST', '/v1/payment_intents', {
      form: 'amount=100&currency=usd',
      idempotencyKey: 'k-bad',
    });
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('forgets keys on reset', async () => {
    const { call, state } = setup();
    await call('POST', '/v1/payment_intents', { form, idempotencyKey: 'k-reset' });
    state.reset();
    const after = await call('POST', '/v1/payment_intents', { form, idempotencyKey: 'k-reset' });
    expect(after.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('stripe sandbox: refunds', () => {
  it('refunds part then the rest of a charge, then refuses more', async () => {
    const { call, state } = setup();
    const paid = await call('POST', '/v1/payment_intents', {
      form: 'amount=1000&currency=usd&confirm=true&payment_method=pm_card_visa',
    });
    const part = await call('POST', '/v1/refunds', { form: `payment_intent=${paid.body.id}&amount=300` });
    expect(part.body).toMatchObject({
      object: 'refund',
      amount: 300,
      status: 'succeeded',
      payment_intent: paid.body.id,
    });
    const tooMuch = await call('POST', '/v1/refunds', { form: `payment_intent=${paid.body.id}&amount=800` });
    expect(tooMuch.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount' });
    const rest = await call('POST', '/v1/refunds', { form: `payment_intent=${paid.body.id}` });
    expect(rest.body.amount).toBe(700);
    const charge = await call('GET', `/v1/charges/${paid.body.latest_charge}`);
    expect(charge.body).toMatchObject({ amount_refunded: 1000, refunded: true });
    const again = await call('POST', '/v1/refunds', { form: `payment_intent=${paid.body.id}` });
    expect(again.body.error.code).toBe('charge_already_refunded');
    expect(state.effects.filter((e) => e.kind === 'refund.created').map((e) => e.data?.amount)).toEqual([
      300, 700,
    ]);
    expect((await call('GET', `/v1/refunds/${part.body.id}`)).body.amount).toBe(300);
  });

  it('refuses to refund an intent that was never charged', async () => {
    const { call } = setup();
    const open = await call('POST', '/v1/payment_intents', { form: 'amount=1000&currency=usd' });
    const refund = await call('POST', '/v1/refunds', { form: `payment_intent=${open.body.id}` });
    expect(refund.status).toBe(400);
    expect(refund.body.error.param).toBe('payment_intent');
  });
});

describe('stripe sandbox: the official stripe-node client', () => {
  function client() {
    const { app, state } = createSandboxApp({ systems: [stripeSystem] });
    // stripe-node has no base-path option: its fetch client re-aims each call under the /stripe prefix.
    const fetchThroughPrefix = (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      return app.request(`/stripe${url.pathname}${url.search}`, init);
    };
    const stripe = new Stripe(KEY, {
      httpClient: Stripe.createFetchHttpClient(fetchThroughPrefix as typeof fetch),
      maxNetworkRetries: 0,
    });
    return { stripe, state };
  }

  it('creates, confirms and refunds like Stripe, with idempotency keys', async () => {
    const { stripe, state } = client();
    const params = {
      amount: 1200,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { order: 'n-1' },
    };
    const intent = await stripe.paymentIntents.create(params, { idempotencyKey: 'node-1' });
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 1200, metadata: { order: 'n-1' } });
    const replay = await stripe.paymentIntents.create(params, { idempotencyKey: 'node-1' });
    expect(replay.id).toBe(intent.id);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 200 });
    expect(refund.amount).toBe(200);
    expect(state.effects.filter((e) => e.kind === 'charge.succeeded')).toHaveLength(1);
  });

  it('surfaces declines as StripeCardError with the decline code', async () => {
    const { stripe } = client();
    const error = await stripe.paymentIntents
      .create({
        amount: 1200,
        currency: 'usd',
        payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds',
        confirm: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      statusCode: 402,
    });
  });

  it('surfaces idempotency misuse as StripeIdempotencyError', async () => {
    const { stripe } = client();
    await stripe.paymentIntents.create({ amount: 100, currency: 'usd' }, { idempotencyKey: 'node-2' });
    const error = await stripe.paymentIntents
      .create({ amount: 101, currency: 'usd' }, { idempotencyKey: 'node-2' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });
});
