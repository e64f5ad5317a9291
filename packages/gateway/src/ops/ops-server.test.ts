import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { createEmbeddedBackend, createHubEngine, type Engine, loadHub } from '@baton/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfigPath, fixtureEnv, gatewayFixture } from '../test-support/gateway-fixture';
import { orderBody, signers } from '../test-support/signers';
import { type RunningOpsServer, startOpsServer, type WorkerState } from './ops-server';

/** The value of one sample of the Prometheus text, or undefined when it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

/** The sum of every sample of `name` (all label sets). */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const hubOptions = { configPath: fixtureConfigPath, env: fixtureEnv };
const event = (sku: string) => ({
  specversion: '1.0' as const,
  id: `evt-${sku}`,
  source: 'shop',
  type: 'order.created',
  time: new Date().toISOString(),
  data: { data: { sku, qty: 1 } },
});

describe('the ops server of a worker', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function worker(options: { port?: number; host?: string } = {}) {
    const hub = await loadHub(hubOptions);
    const backend = createEmbeddedBackend();
    const engine: Engine = createHubEngine(hub, backend);
    let state: WorkerState = 'starting';
    const ops: RunningOpsServer = await startOpsServer({
      engine,
      backend,
      state: () => state,
      port: 0,
      ...options,
    });
    cleanups.push(async () => {
      await ops.close();
      await engine.stop({ drainMs: 0 });
      await backend.close();
    });
    return { engine, ops, setState: (next: WorkerState) => (state = next) };
  }

  it('answers /healthz always, /readyz only while it consumes, and counts the steps it ran on /metrics', async () => {
    const { engine, ops, setState } = await worker();
    const get = (path: string) => fetch(`${ops.url}${path}`);
    expect((await get('/healthz')).status).toBe(200);
    const starting = await get('/readyz');
    expect([starting.status, await starting.json()]).toEqual([503, { status: 'starting' }]);

    engine.startWorker({ concurrency: 2 });
    setState('consuming');
    const ready = await get('/readyz');
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', backend: 'embedded', durable: false },
    ]);
    for (const sku of ['A-1', 'A-2']) {
      const { runs } = await engine.dispatch(event(sku));
      await engine.waitForRun(runs[0]!.runId, { timeoutMs: 5_000 });
    }
    const metrics = await get('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(sample(text, 'baton_runs_finished_total', { flow: 'order', status: 'succeeded' })).toBe(2);
    expect(sample(text, 'baton_step_duration_seconds_count', { flow: 'order', step: 'stock' })).toBe(2);
    expect(sample(text, 'baton_step_duration_seconds_count', { flow: 'order', step: 'notify' })).toBe(2);
    expect(sample(text, 'baton_breaker_state', { connector: 'shop' })).toBe(0);
    expect(text).toContain('baton_process_cpu_user_seconds_total');
    // No webhook is taken here: the gateway's own metric is not served.
    expect(text).not.toContain('baton_webhooks_received_total');

    setState('draining');
    const draining = await get('/readyz');
    expect([draining.status, await draining.json()]).toEqual([503, { status: 'draining' }]);
  });

  it('answers /metrics on a loopback address only to loopback names, as the gateway does without a token', async () => {
    const { ops } = await worker();
    // fetch() sets Host itself: a plain request sends the name a rebound DNS record would.
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${ops.url}/metrics`,
        { headers: { host: `attacker.example:${ops.port}` } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
    expect((await fetch(`${ops.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${ops.url}/nowhere`)).status).toBe(404);
  });

  it('fails with EADDRINUSE when the port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    await expect(worker({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('metrics of a gateway that runs a worker too (baton serve)', () => {
  it('count each step and run once', async () => {
    const gw = await gatewayFixture();
    try {
      const runIds: string[] = [];
      for (const sku of ['B-1', 'B-2', 'B-3']) {
        const body = orderBody({ sku, qty: 1 });
        const answer = await gw.app.request('/webhooks/shop', {
          method: 'POST',
          body,
          headers: signers.standard(body),
        });
        const accepted = (await answer.json()) as { runs: Array<{ runId: string }> };
        runIds.push(accepted.runs[0]!.runId);
      }
      for (const runId of runIds) await gw.engine.waitForRun(runId, { timeoutMs: 5_000 });
      const text = await (await gw.app.request('/metrics')).text();
      expect(total(text, 'baton_runs_finished_total')).toBe(3);
      expect(total(text, 'baton_step_duration_seconds_count')).toBe(6);
      expect(sample(text, 'baton_webhooks_received_total', { source: 'shop', outcome: 'accepted' })).toBe(3);
    } finally {
      await gw.close();
    }
  });
});
