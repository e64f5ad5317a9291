import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import connector from './index';

describe('__NAME__ connector', () => {
  it('creates an item, sending the idempotency key', async () => {
    await using server = await createTestServer((request) => ({
      status: 201,
      json: { id: 'item_1', name: (request.parsed as { name: string }).name },
    }));
    const { output } = await runAction(connector, 'create-item', {
      config: { baseUrl: server.url, apiKey: 'test-key-123' },
      input: { name: 'Widget' },
      idempotencyKey: 'run-1:create',
    });
    expect(output).toEqual({ id: 'item_1', name: 'Widget' });
    expect(server.requests[0]?.headers['idempotency-key']).toBe('run-1:create');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer test-key-123');
    expect(server.requests[0]?.parsed).toEqual({ name: 'Widget', quantity: 1 });
  });

  it('does not retry a conflict', async () => {
    await using server = await createTestServer(() => ({ status: 409, json: { error: 'exists' } }));
    await expect(
      runAction(connector, 'create-item', {
        config: { baseUrl: server.url, apiKey: 'k-123456' },
        input: { name: 'Widget' },
      }),
    ).rejects.toMatchObject({ code: 'ITEM_EXISTS', retryable: false });
  });

  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, { config: (baseUrl, apiKey) => ({ baseUrl, apiKey }) });
    expect(report.problems).toEqual([]);
  });
});
