import { createTestServer, runAction } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { idempotencyKeyFor } from './client';
import connector from './index';

async function answer(response: { status: number; json?: unknown; headers?: Record<string, string> }) {
  await using server = await createTestServer(() => response);
  // Awaited here: the server closes when this function returns.
  return await runAction(connector, 'create-payment-intent', {
    config: { baseUrl: server.url, apiKey: 'sk_test_123456' },
    input: { amount: 100, currency: 'usd' },
  }).then(
    () => {
      throw new Error('expected the action to fail');
    },
    (error: unknown) => error as { code: string; retryable: boolean; retryAfterMs?: number; message: string },
  );
}

describe('Stripe error mapping', () => {
  it('retries a 409 idempotency_key_in_use: the first request is still running', async () => {
    const error = await answer({
      status: 409,
      json: { error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'in progress' } },
    });
    expect(error).toMatchObject({ code: 'idempotency_key_in_use', retryable: true });
  });

  it('retries api_error and follows Stripe-Should-Retry', async () => {
    expect(
      await answer({ status: 500, json: { error: { type: 'api_error', message: 'Oops' } } }),
    ).toMatchObject({
      code: 'api_error',
      retryable: true,
      message: 'Stripe had an internal error: Oops',
    });
    const doNot = await answer({
      status: 500,
      headers: { 'stripe-should-retry': 'false' },
      json: { error: { type: 'api_error', message: 'Oops' } },
    });
    expect(doNot.retryable).toBe(false);
    const lockTimeout = await answer({
      status: 400,
      headers: { 'stripe-should-retry': 'true' },
      json: { error: { type: 'invalid_request_error', code: 'lock_timeout', message: 'busy' } },
    });
    expect(lockTimeout).toMatchObject({ code: 'lock_timeout', retryable: true });
  });

  it('does not retry a refused key', async () => {
    const error = await answer({
      status: 401,
      json: {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****3456' },
      },
    });
    expect(error).toMatchObject({ code: 'authentication_error', retryable: false });
  });

  it('keeps the status classification for bodies that are not Stripe errors', async () => {
    expect(await answer({ status: 503, json: { message: 'maintenance' } })).toMatchObject({
      retryable: true,
    });
    expect(await answer({ status: 418, json: 'teapot' })).toMatchObject({ retryable: false });
  });

  it('sends a form with bracket notation and the configured headers', async () => {
    await using server = await createTestServer(() => ({
      json: {
        id: 'pi_1',
        object: 'payment_intent',
        status: 'requires_confirmation',
        amount: 5,
        currency: 'usd',
        created: 1,
        livemode: false,
      },
    }));
    await runAction(connector, 'create-payment-intent', {
      config: {
        baseUrl: server.url,
        apiKey: 'sk_test_123456',
        apiVersion: '2025-09-30.clover',
        stripeAccount: 'acct_42',
      },
      input: {
        amount: 5,
        currency: 'USD',
        payment_method: 'pm_card_visa',
        payment_method_types: ['card'],
        metadata: { order: 7 },
      },
      idempotencyKey: 'k-1',
    });
    const request = server.requests[0];
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer sk_test_123456',
      'stripe-version': '2025-09-30.clover',
      'stripe-account': 'acct_42',
      'idempotency-key': 'k-1',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(new URLSearchParams(request?.body).toString()).toBe(
      new URLSearchParams({
        amount: '5',
        currency: 'usd',
        payment_method: 'pm_card_visa',
        'payment_method_types[0]': 'card',
        'metadata[order]': '7',
      }).toString(),
    );
  });
});

describe('idempotencyKeyFor', () => {
  it('suffixes keys for actions that send several requests, and hashes keys too long for Stripe', () => {
    expect(idempotencyKeyFor('run-1:charge')).toBe('run-1:charge');
    expect(idempotencyKeyFor('run-1:charge', 'confirm')).toBe('run-1:charge:confirm');
    const long = idempotencyKeyFor('x'.repeat(300));
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(idempotencyKeyFor('x'.repeat(300))).toBe(long);
  });
});
