import { createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('stripe limits', () => {
  it("declares Stripe's global rate limit: 100 requests per second live, 25 in test mode", () => {
    const perSecond = (apiKey: string) => instance({ apiKey }).limits;
    expect(perSecond('sk_live_51abc')).toEqual({ rate: { requests: 100, per: '1s' } });
    expect(perSecond('rk_live_51abc')).toEqual({ rate: { requests: 100, per: '1s' } });
    expect(perSecond('sk_test_51abc')).toEqual({ rate: { requests: 25, per: '1s' } });
    expect(perSecond('rk_test_51abc')).toEqual({ rate: { requests: 25, per: '1s' } });
  });
});

describe('stripe check', () => {
  it('passes with a key Stripe accepts: reading a PaymentIntent that does not exist is answered 404', async () => {
    const payment = instance({ baseUrl: `${sandbox.url}/stripe`, apiKey: 'sk_test_baton_sandbox' });
    await expect(payment.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'stripe').at(-1)).toMatchObject({
      method: 'GET',
      path: '/stripe/v1/payment_intents/pi_baton_credentials_check',
      status: 404,
    });
    expect(sandbox.state.effects.filter((e) => e.system === 'stripe')).toEqual([]);
  });

  it('fails, not retryable, with the reason Stripe gives for a key it does not know', async () => {
    await using server = await createTestServer(() => ({
      status: 401,
      json: {
        error: {
          type: 'invalid_request_error',
          message: 'Invalid API Key provided: sk_live_********************9xyz',
        },
      },
    }));
    const error = await instance({ baseUrl: server.url, apiKey: 'sk_live_revoked_9xyz' })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'authentication_error',
      retryable: false,
      message: expect.stringContaining('Invalid API Key provided'),
    });
    expect(JSON.stringify(error)).not.toContain('sk_live_revoked_9xyz');
  });

  it('fails for a restricted key that may not read PaymentIntents', async () => {
    await using server = await createTestServer(() => ({
      status: 403,
      json: {
        error: {
          type: 'invalid_request_error',
          code: 'secret_key_required',
          message: 'The provided key does not have the required permissions for this endpoint.',
        },
      },
    }));
    await expect(instance({ baseUrl: server.url, apiKey: 'rk_live_narrow' }).check()).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('required permissions'),
    });
  });
});
