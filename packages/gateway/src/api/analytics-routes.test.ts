import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
const TOKEN = 'admin-token-0123456789';
const DAY = 86_400_000;

describe('GET /api/flows/:id/analytics', () => {
  let gw: Fixture;
  beforeAll(async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
  });
  afterAll(async () => gw.close());

  const api = (path: string) =>
    gw.app.request(`/api${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });

  async function order(data: Record<string, unknown>) {
    const { runId } = await gw.engine.trigger('order', { data });
    return gw.engine.waitForRun(runId);
  }

  it("answers a flow's figures over the window from the runs that ended in it", async () => {
    const runs = [
      await order({ sku: 'A', qty: 1 }),
      await order({ sku: 'B', qty: 2 }),
      await order({ sku: 'missing', qty: 1 }),
    ];
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'failed']);

    const res = await api('/flows/order/analytics?window=1h');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      flow: 'order',
      window: { bucket: '1m' },
      runs: { succeeded: 2, failed: 1, cancelled: 0, total: 3 },
      successRate: 2 / 3,
      retries: 0,
      fallbacks: 0,
      waitingMs: 0,
      breakerOpenings: 0,
      breakers: [{ instance: 'shop', openings: 0 }],
      topErrors: [{ code: 'UNKNOWN_SKU', count: 1 }],
      topAttemptErrors: [{ code: 'UNKNOWN_SKU', count: 1 }],
      duration: {
        p50: { ms: expect.any(Number), fromMs: expect.any(Number), toMs: expect.any(Number) },
        p95: expect.any(Object),
      },
    });
    expect(body.steps).toEqual([
      {
        id: 'stock',
        runs: 3,
        p50: expect.any(Object),
        p95: expect.any(Object),
        attempts: 3,
        retries: 0,
        fallbacks: 0,
        waitingMs: 0,
      },
      {
        id: 'notify',
        runs: 2,
        p50: expect.any(Object),
        p95: expect.any(Object),
        attempts: 2,
        retries: 0,
        fallbacks: 0,
        waitingMs: 0,
      },
    ]);
    expect(Date.now() - Date.parse(body.window.since)).toBeLessThanOrEqual(61 * 60_000);
    expect(body.durationBoundsMs).toContain(1000);

    // The day and the week read hours; the same runs are in them.
    for (const window of ['24h', '7d']) {
      const wide = await json(api(`/flows/order/analytics?window=${window}`));
      expect(wide.window.bucket).toBe('1h');
      expect(wide.runs.total).toBe(3);
    }
    // A window that ended before the runs has none of them; since/until as for /api/runs.
    const before = new Date(Date.parse(runs[0]!.createdAt) - 3 * 3_600_000);
    const empty = await json(
      api(
        `/flows/order/analytics?since=${before.toISOString()}&until=${new Date(before.getTime() + 60_000).toISOString()}`,
      ),
    );
    expect(empty).toMatchObject({
      runs: { total: 0 },
      successRate: null,
      duration: { p50: null },
      steps: [],
    });
    // Other flows are not counted in.
    expect((await json(api('/flows/payments/analytics'))).runs.total).toBe(0);
  });

  it('refuses a window it cannot answer with a 400, an unknown flow with a 404, and asks for the token', async () => {
    const now = Date.now();
    const bad = [
      '?window=30d',
      '?window=1h&since=2026-01-01',
      `?until=${new Date(now).toISOString()}`,
      `?since=${new Date(now - 9 * DAY).toISOString()}`,
      `?since=${new Date(now - 3_600_000).toISOString()}&until=${new Date(now - 7_200_000).toISOString()}`,
      '?since=yesterday',
      '?flow=order',
    ];
    for (const query of bad) {
      const res = await api(`/flows/order/analytics${query}`);
      expect(res.status, query).toBe(400);
      expect((await json(res)).error.code, query).toBe('REQUEST_INVALID');
    }
    const missing = await api('/flows/nope/analytics');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('FLOW_NOT_FOUND');
    expect((await gw.app.request('/api/flows/order/analytics')).status).toBe(401);
  });
});
