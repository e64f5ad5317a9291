import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
const TOKEN = 'admin-token-0123456789';

describe('GET /api/runs/failures', () => {
  let gw: Fixture;
  beforeEach(async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
  });
  afterEach(async () => gw.close());

  const api = (path: string, init: RequestInit = {}) =>
    gw.app.request(`/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });

  async function order(data: Record<string, unknown>): Promise<string> {
    const res = await api('/flows/order/trigger', {
      method: 'POST',
      body: JSON.stringify({ data: { data } }),
    });
    const { runId } = await json(res);
    await gw.engine.waitForRun(runId);
    return runId;
  }

  it('groups the retained failed and cancelled runs by flow, status and error code, latest group first', async () => {
    const unknownSku = [await order({ sku: 'missing', qty: 1 }), await order({ sku: 'missing', qty: 2 })];
    await order({ sku: 'A', qty: 1 });
    const badInput = await order({ sku: 'A', qty: 'many' });
    const first = await json(api(`/runs/${unknownSku[0]}`));
    const last = await json(api(`/runs/${unknownSku[1]}`));
    const lastBad = await json(api(`/runs/${badInput}`));

    const res = await api('/runs/failures');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      groups: [
        {
          flow: 'order',
          status: 'failed',
          errorCode: lastBad.error.code,
          count: 1,
          firstAt: lastBad.endedAt,
          lastAt: lastBad.endedAt,
          sampleRunId: badInput,
          sampleMessage: lastBad.error.message,
        },
        {
          flow: 'order',
          status: 'failed',
          errorCode: 'UNKNOWN_SKU',
          count: 2,
          firstAt: first.endedAt,
          lastAt: last.endedAt,
          sampleRunId: unknownSku[1],
          sampleMessage: expect.stringContaining('no such sku'),
        },
      ],
      scanned: 3,
      truncated: false,
    });
    expect(lastBad.error.code).not.toBe('UNKNOWN_SKU');

    expect((await json(api('/runs/failures?flow=payments'))).groups).toEqual([]);
    expect((await api('/runs/failures?status=failed')).status).toBe(400);
    expect((await gw.app.request('/api/runs/failures')).status).toBe(401);
  });

  it('counts cancelled runs in groups of their own', async () => {
    const idle = await gatewayFixture({ apiToken: TOKEN, worker: false });
    try {
      const { runId } = await idle.engine.trigger('order', { data: { sku: 'A', qty: 1 } });
      await idle.engine.cancel(runId, { actor: 'ops' });
      const res = await idle.app.request('/api/runs/failures', {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect((await json(res)).groups).toEqual([
        expect.objectContaining({ flow: 'order', status: 'cancelled', count: 1, sampleRunId: runId }),
      ]);
    } finally {
      await idle.close();
    }
  });
});
