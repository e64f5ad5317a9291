import { createTestServer, runAction, type TestResponse } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import connector from './index';

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected the action to fail');
    },
    (error: unknown) => error as { code: string; retryable: boolean; message: string },
  );
}

describe('buy-label against scripted answers', () => {
  const rate = {
    object_id: 'r1',
    shipment: 's1',
    amount: '5.50',
    currency: 'USD',
    provider: 'USPS',
    servicelevel: { token: 'usps_priority' },
    estimated_days: 2,
  };

  function shippoScript(transaction: (call: number) => TestResponse) {
    let posts = 0;
    return createTestServer((request) => {
      if (request.path === '/rates/r1') return { json: rate };
      if (request.path === '/transactions' && request.method === 'GET')
        return { json: { next: null, previous: null, results: [] } };
      posts += 1;
      return transaction(posts);
    });
  }

  it('fails without retry when Shippo reports the purchase as ERROR', async () => {
    await using server = await shippoScript(() => ({
      status: 201,
      json: {
        object_id: 't1',
        status: 'ERROR',
        rate: 'r1',
        messages: [{ source: 'USPS', code: 'address_error', text: 'The address could not be verified.' }],
      },
    }));
    const error = await failure(
      runAction(connector, 'buy-label', {
        config: { baseUrl: server.url, apiKey: 'shippo_test_x' },
        input: { shipmentId: 's1', rateId: 'r1' },
      }),
    );
    expect(error).toMatchObject({ code: 'LABEL_PURCHASE_FAILED', retryable: false });
    expect(error.message).toContain('The address could not be verified.');
  });

  it('gives up on a purchase queued too long with a retryable error', async () => {
    await using server = await shippoScript(() => ({
      status: 201,
      json: { object_id: 't1', status: 'QUEUED', rate: 'r1' },
    }));
    const error = await failure(
      runAction(connector, 'buy-label', {
        config: { baseUrl: server.url, apiKey: 'shippo_test_x', pollIntervalMs: 10, pollTimeoutMs: 100 },
        input: { shipmentId: 's1', rateId: 'r1' },
      }),
    );
    expect(error).toMatchObject({ code: 'SHIPPO_PENDING', retryable: true });
    expect(server.requests.filter((r) => r.path === '/transactions/t1').length).toBeGreaterThan(0);
  });

  it('sends the token, the rate and async: false', async () => {
    await using server = await shippoScript(() => ({
      status: 201,
      json: {
        object_id: 't1',
        status: 'SUCCESS',
        rate: 'r1',
        tracking_number: '9400',
        label_url: 'https://x/l.pdf',
      },
    }));
    await runAction(connector, 'buy-label', {
      config: { baseUrl: server.url, apiKey: 'shippo_test_abc', apiVersion: '2018-02-08' },
      input: { shipmentId: 's1', rateId: 'r1', label_file_type: 'PDF_4x6' },
    });
    const post = server.requests.find((r) => r.method === 'POST');
    expect(post?.headers).toMatchObject({
      authorization: 'ShippoToken shippo_test_abc',
      'shippo-api-version': '2018-02-08',
    });
    expect(post?.parsed).toEqual({ rate: 'r1', async: false, label_file_type: 'PDF_4x6' });
    expect(
      server.requests.find((r) => r.path === '/transactions' && r.method === 'GET')?.query,
    ).toMatchObject({ rate: 'r1' });
  });
});
