import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { orderBody, signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
const TOKEN = 'admin-token-0123456789';

describe('admin API', () => {
  let gw: Fixture;
  beforeEach(async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
  });
  afterEach(async () => gw.close());

  const api = (path: string, init: RequestInit = {}) =>
    gw.app.request(`/api${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  it('refuses calls without the bearer token, or with a wrong one', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nope' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ]) {
      const res = await gw.app.request('/api/flows', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="baton"');
      expect(await json(res)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
    for (const path of ['/api/runs', '/api/connectors', '/api/openapi.json']) {
      expect((await gw.app.request(path)).status).toBe(401);
    }
    expect((await gw.app.request('/api/runs/x/cancel', { method: 'POST' })).status).toBe(401);
  });

  it('lists flows and shows one with its graph', async () => {
    const list = await await json(api('/flows'));
    expect(list.flows.map((f: { id: string }) => f.id).sort()).toEqual([
      'github-push',
      'order',
      'payments',
      'quote',
      'store-orders',
    ]);
    const order = list.flows.find((f: { id: string }) => f.id === 'order');
    expect(order).toMatchObject({
      steps: 2,
      trigger: { source: 'shop', event: 'order.*' },
      file: expect.stringMatching(/order\.json$/),
    });
    const detail = await await json(api('/flows/order'));
    expect(detail.definition.id).toBe('order');
    expect(detail.graph).toMatch(/^flowchart/);
    const missing = await api('/flows/nope');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('FLOW_NOT_FOUND');
  });

  it('lists connector instances with their actions, breaker and credentials state, without their config', async () => {
    const res = await api('/connectors');
    const body = await json(res);
    expect(body.connectors).toEqual([
      {
        name: 'shop',
        use: './connectors/shop.mjs',
        connector: 'shop',
        version: null,
        description: null,
        actions: [
          { name: 'reserve', description: null },
          { name: 'notify', description: null },
        ],
        breaker: { state: 'closed', failures: 0, openedAt: null },
        credentials: { state: 'none' },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain('sk_shop_canary');
  });

  it('runs a flow from a webhook and reads it back through /api/runs/:id', async () => {
    const body = orderBody({ sku: 'A-1', qty: 3 });
    const accepted = await json(
      await gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) }),
    );
    const runId = accepted.runs[0].runId;
    await gw.engine.waitForRun(runId);
    const res = await api(`/runs/${runId}`);
    expect(res.status).toBe(200);
    const run = await json(res);
    expect(run).toMatchObject({
      id: runId,
      flow: 'order',
      status: 'succeeded',
      event: { id: accepted.eventId, source: 'shop', type: 'order.created' },
      error: null,
      output: { remaining: 7 },
      createdAt: expect.any(String),
      endedAt: expect.any(String),
    });
    expect(run.steps).toEqual([
      expect.objectContaining({
        id: 'stock',
        status: 'succeeded',
        output: { reservation: 'res-A-1', remaining: 7 },
        error: null,
        attempts: [
          {
            action: 'shop.reserve',
            route: 0,
            startedAt: expect.any(String),
            endedAt: expect.any(String),
            error: null,
          },
        ],
      }),
      expect.objectContaining({ id: 'notify', status: 'succeeded', output: { sent: true } }),
    ]);
    expect((await api('/runs/run_nope')).status).toBe(404);
  });

  it('triggers a flow by hand, pages runs with filters, replays and cancels with an audit trail', async () => {
    const first = await api('/flows/order/trigger', {
      method: 'POST',
      body: JSON.stringify({ data: { data: { sku: 'missing', qty: 1 } } }),
    });
    expect(first.status).toBe(202);
    const { runId: failedId } = await json(first);
    const failed = await gw.engine.waitForRun(failedId);
    expect(failed.status).toBe('failed');
    for (let i = 0; i < 2; i++) {
      const res = await api('/flows/order/trigger', {
        method: 'POST',
        body: JSON.stringify({ data: { data: { sku: `S${i}`, qty: 1 } } }),
      });
      await gw.engine.waitForRun((await json(res)).runId);
    }
    const page = await await json(api('/runs?flow=order&limit=2'));
    expect(page.runs).toHaveLength(2);
    expect(page.next).toEqual(expect.any(String));
    const rest = await await json(api(`/runs?flow=order&limit=2&cursor=${page.next}`));
    expect(rest).toEqual({ runs: [expect.objectContaining({ id: failedId, status: 'failed' })], next: null });
    const onlyFailed = await await json(api('/runs?status=failed'));
    expect(onlyFailed.runs.map((r: { id: string }) => r.id)).toEqual([failedId]);
    expect((await api('/runs?status=bogus')).status).toBe(400);
    expect((await api('/runs?limit=0')).status).toBe(400);

    const replay = await api(`/runs/${failedId}/replay`, {
      method: 'POST',
      headers: { 'x-baton-actor': 'alice@example.com' },
    });
    expect(replay.status).toBe(202);
    const { runId: replayId } = await json(replay);
    expect(replayId).not.toBe(failedId);
    await gw.engine.waitForRun(replayId);
    const original = await await json(api(`/runs/${failedId}`));
    expect(original.audit.at(-1)).toMatchObject({
      action: 'replay',
      actor: 'alice@example.com',
      detail: `replayed as ${replayId}`,
    });
    const notReplayable = await api(`/runs/${page.runs[0].id}/replay`, { method: 'POST' });
    expect(notReplayable.status).toBe(409);
    expect((await json(notReplayable)).error.code).toBe('RUN_NOT_REPLAYABLE');

    const ended = await api(`/runs/${page.runs[0].id}/cancel`, { method: 'POST' });
    expect(ended.status).toBe(409);
    expect((await api('/flows/nope/trigger', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('cancels a queued run', async () => {
    const idle = await gatewayFixture({ apiToken: TOKEN, worker: false });
    const { runId } = await idle.engine.trigger('order', { data: { sku: 'A', qty: 1 } });
    const res = await idle.app.request(`/api/runs/${runId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-baton-actor': 'ops' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      id: runId,
      status: 'cancelled',
      audit: [expect.anything(), expect.objectContaining({ action: 'cancel', actor: 'ops' })],
    });
    await idle.close();
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const doc = await await json(api('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/connectors',
      '/connectors/{id}/health',
      '/diagnostics',
      '/events',
      '/flows',
      '/flows/{id}',
      '/flows/{id}/analytics',
      '/flows/{id}/trigger',
      '/flows/{id}/versions',
      '/flows/{id}/versions/{version}',
      '/reload',
      '/replays/{jobId}',
      '/runs',
      '/runs/failures',
      '/runs/replay',
      '/runs/{id}',
      '/runs/{id}/cancel',
      '/runs/{id}/replay',
      '/runs/{id}/steps/{step}/decision',
      '/status',
      '/webhooks/activity',
    ]);
    expect(doc.components.schemas.Run.properties.steps).toBeDefined();
  });
});

describe('health and metrics', () => {
  it('answers /healthz, /readyz and /metrics without a token, with low-cardinality labels', async () => {
    const gw = await gatewayFixture({ apiToken: TOKEN });
    expect(await await json(gw.app.request('/healthz'))).toEqual({ status: 'ok' });
    expect(await await json(gw.app.request('/readyz'))).toMatchObject({
      status: 'ready',
      backend: 'embedded',
    });
    const body = orderBody();
    const { runs } = await json(
      await gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) }),
    );
    await gw.engine.waitForRun(runs[0].runId);
    await gw.app.request('/webhooks/shop', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    const text = await (await gw.app.request('/metrics')).text();
    expect(text).toContain('baton_webhooks_received_total{source="shop",outcome="accepted"} 1');
    expect(text).toContain('baton_webhooks_received_total{source="shop",outcome="signature_missing"} 1');
    expect(text).toContain('baton_runs_finished_total{flow="order",status="succeeded"} 1');
    expect(text).toMatch(
      /baton_step_duration_seconds_count\{flow="order",step="stock",status="succeeded"\} 1/,
    );
    expect(text).toContain('baton_breaker_state{connector="shop"} 0');
    expect(text).toMatch(/baton_queue_depth\{state="waiting"\} \d+/);
    expect(text).not.toContain(runs[0].runId);
    await gw.close();
  });

  it('keeps secrets out of logs', async () => {
    const gw = await gatewayFixture();
    const body = orderBody({ sku: 'missing', qty: 1 });
    const { runs } = await json(
      await gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) }),
    );
    await gw.engine.waitForRun(runs[0].runId);
    expect(gw.logs.join('\n')).not.toContain('sk_shop_canary');
    await gw.close();
  });
});
