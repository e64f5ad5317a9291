import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector, { type PaymentIntent, type Refund } from './index';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const config = () => ({ baseUrl: `${sandbox.url}/stripe`, apiKey: 'sk_test_baton_sandbox' });
const effects = (kind: string) =>
  sandbox.state.effects.filter((e) => e.system === 'stripe' && e.kind === kind);

async function fault(plan: unknown) {
  const response = await fetch(`${sandbox.url}/_sandbox/faults/stripe`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(response.status).toBe(200);
}

function charge(input: Record<string, unknown>, idempotencyKey = 'run-1:charge', timeoutMs?: number) {
  return runAction<PaymentIntent>(connector, 'create-payment-intent', {
    config: config(),
    input: { amount: 2599, currency: 'USD', confirm: true, off_session: true, ...input },
    idempotencyKey,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected the action to fail');
    },
    (error: unknown) =>
      error as {
        code: string;
        retryable: boolean;
        retryAfterMs?: number;
        message: string;
        details?: Record<string, unknown>;
      },
  );
}

describe('create-payment-intent', () => {
  it('charges a test card once and forwards the step idempotency key', async () => {
    const { output } = await charge({
      payment_method: 'pm_card_visa',
      metadata: { order: 1042, gift: false },
    });
    expect(output).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 2599,
      amount_received: 2599,
      currency: 'usd',
      metadata: { order: '1042', gift: 'false' },
      last_payment_error: null,
    });
    expect(output).not.toHaveProperty('client_secret');
    expect(effects('charge.succeeded')).toEqual([
      expect.objectContaining({
        ref: output.id,
        data: expect.objectContaining({ amount: 2599, metadata: { order: '1042', gift: 'false' } }),
      }),
    ]);
    const posts = sandbox.state.requests.filter((r) => r.system === 'stripe' && r.method === 'POST');
    expect(posts.map((r) => r.idempotencyKey)).toEqual(['run-1:charge']);
  });

  it('returns the same intent when the step is retried with its key, and charges once', async () => {
    const first = await charge({ payment_method: 'pm_card_visa' });
    const retried = await charge({ payment_method: 'pm_card_visa' });
    expect(retried.output.id).toBe(first.output.id);
    expect(effects('charge.succeeded')).toHaveLength(1);
  });

  it('charges exactly once through injected 5xx faults and retries', async () => {
    await fault({ statuses: [500, 503, 502] });
    const errors = [];
    for (let attempt = 0; attempt < 3; attempt++)
      errors.push(await failure(charge({ payment_method: 'pm_card_visa' })));
    expect(errors.map((e) => e.retryable)).toEqual([true, true, true]);
    const { output } = await charge({ payment_method: 'pm_card_visa' });
    expect(output.status).toBe('succeeded');
    expect(effects('charge.succeeded')).toHaveLength(1);
  });

  it('gets the saved answer when the first answer was lost', async () => {
    // The charge happens after the client gave up waiting: its answer never arrives.
    await fault({ latencyMs: 1200 });
    const lost = await failure(charge({ payment_method: 'pm_card_visa' }, 'run-2:charge', 300));
    expect(lost.retryable).toBe(true);
    await until(() => effects('charge.succeeded').length === 1);
    await fetch(`${sandbox.url}/_sandbox/faults/stripe`, { method: 'DELETE' });
    const { output } = await charge({ payment_method: 'pm_card_visa' }, 'run-2:charge');
    expect(output.id).toBe(effects('charge.succeeded')[0]?.ref);
    expect(effects('charge.succeeded')).toHaveLength(1);
  });

  it.each([
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_visa_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
  ])('fails %s without retry, with code %s', async (method, code) => {
    const error = await failure(charge({ payment_method: method }));
    expect(error).toMatchObject({ code, retryable: false });
    expect(error.message).toMatch(/^Stripe declined the payment: Your card/);
    expect(error.details).toMatchObject({
      status: 402,
      type: 'card_error',
      paymentIntent: expect.stringMatching(/^pi_/),
    });
    expect(effects('charge.succeeded')).toEqual([]);
  });

  it('declines a card that needs authentication off-session, and asks for it on-session', async () => {
    const offSession = await failure(charge({ payment_method: 'pm_card_threeDSecure2Required' }));
    expect(offSession.code).toBe('authentication_required');
    const { output } = await charge(
      { payment_method: 'pm_card_threeDSecure2Required', off_session: false },
      'run-3:charge',
    );
    expect(output).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
  });

  it('reports the same key with other parameters as IDEMPOTENCY_CONFLICT', async () => {
    await charge({ payment_method: 'pm_card_visa' }, 'run-4:charge');
    const error = await failure(charge({ payment_method: 'pm_card_visa', amount: 2600 }, 'run-4:charge'));
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', retryable: false });
  });

  it('honours Retry-After on 429', async () => {
    await fault({ rateLimit: { retryAfter: 2, count: 1 } });
    const error = await failure(charge({ payment_method: 'pm_card_visa' }));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 2000 });
    const { output } = await charge({ payment_method: 'pm_card_visa' });
    expect(output.status).toBe('succeeded');
  });

  it('rejects invalid input before calling Stripe', async () => {
    const error = await failure(charge({ amount: 10.5 }));
    expect(error).toMatchObject({ code: 'INPUT_INVALID', retryable: false });
    expect(sandbox.state.requests).toEqual([]);
  });
});

describe('confirm-payment-intent, get-payment-intent and refund', () => {
  it('confirms an intent created earlier, reads it, and refunds it in two parts', async () => {
    const created = await runAction<PaymentIntent>(connector, 'create-payment-intent', {
      config: config(),
      input: { amount: 1000, currency: 'eur', payment_method: 'pm_card_mastercard' },
    });
    expect(created.output.status).toBe('requires_confirmation');
    const confirmed = await runAction<PaymentIntent>(connector, 'confirm-payment-intent', {
      config: config(),
      input: { payment_intent: created.output.id },
    });
    expect(confirmed.output).toMatchObject({
      id: created.output.id,
      status: 'succeeded',
      latest_charge: expect.stringMatching(/^ch_/),
    });
    const read = await runAction<PaymentIntent>(connector, 'get-payment-intent', {
      config: config(),
      input: { payment_intent: created.output.id },
    });
    expect(read.output.status).toBe('succeeded');

    const part = await runAction<Refund>(connector, 'refund', {
      config: config(),
      input: { payment_intent: created.output.id, amount: 400, metadata: { reason: 'damaged' } },
    });
    expect(part.output).toMatchObject({
      object: 'refund',
      amount: 400,
      payment_intent: created.output.id,
      status: 'succeeded',
    });
    const rest = await runAction<Refund>(connector, 'refund', {
      config: config(),
      input: { payment_intent: created.output.id, reason: 'requested_by_customer' },
    });
    expect(rest.output.amount).toBe(600);
    expect(effects('refund.created').map((e) => e.data?.amount)).toEqual([400, 600]);
  });

  it('refunds once when the refund step is retried', async () => {
    const paid = await charge({ payment_method: 'pm_card_visa' });
    const refund = () =>
      runAction<Refund>(connector, 'refund', {
        config: config(),
        input: { payment_intent: paid.output.id },
        idempotencyKey: 'run-1:charge:compensate',
      });
    const first = await refund();
    const again = await refund();
    expect(again.output.id).toBe(first.output.id);
    expect(effects('refund.created')).toHaveLength(1);
  });

  it('names the parameter Stripe rejected', async () => {
    const open = await runAction<PaymentIntent>(connector, 'create-payment-intent', {
      config: config(),
      input: { amount: 1000, currency: 'usd' },
    });
    const error = await failure(
      runAction(connector, 'refund', { config: config(), input: { payment_intent: open.output.id } }),
    );
    expect(error).toMatchObject({ retryable: false, code: 'charge_not_refundable' });
    expect(error.message).toContain('(param: payment_intent)');
    const missing = await failure(
      runAction(connector, 'get-payment-intent', {
        config: config(),
        input: { payment_intent: 'pi_missing' },
      }),
    );
    expect(missing).toMatchObject({ code: 'resource_missing', retryable: false });
  });

  it('cannot confirm twice', async () => {
    const paid = await charge({ payment_method: 'pm_card_visa' });
    const error = await failure(
      runAction(connector, 'confirm-payment-intent', {
        config: config(),
        input: { payment_intent: paid.output.id },
      }),
    );
    expect(error).toMatchObject({ code: 'payment_intent_unexpected_state', retryable: false });
  });
});

describe('conformance', () => {
  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, { config: (baseUrl, apiKey) => ({ baseUrl, apiKey }) });
    expect(report.problems).toEqual([]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).toBe(true);
}
