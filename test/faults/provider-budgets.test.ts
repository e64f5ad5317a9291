import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder } from '../helpers/cli';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren } from '../helpers/spawn-baton';
import { STOCK_CONNECTOR_MODULE } from '../helpers/stock-connector';
import { dispatcher, startWorker, workerEnv } from './fault-hub';

const RUNS = 200;

interface LimitStats {
  accepted: number;
  rejected: number;
  maxInAnyWindow: number;
  arrivals: number[];
}

/**
 * Two worker processes on one Redis share one budget per connector
 * instance: a provider limited to 20 requests a second sees no more, and a
 * provider's Retry-After pauses every run at once.
 */
describe('provider budgets across two workers', () => {
  let sandbox: RunningSandbox;
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  let side: Awaited<ReturnType<typeof dispatcher>>;
  const prefix = uniquePrefix('budgets');

  const control = (path: string, method = 'GET', body?: object) =>
    fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  const stats = async (): Promise<LimitStats> =>
    (await control('/limits/inventory')).json() as Promise<LimitStats>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const instance = (limits: object) => ({
      use: './stock.mjs',
      config: { baseUrl: `${sandbox.url}/inventory/admin/api/2024-10` },
      egress: { allow: ['loopback'] },
      limits,
    });
    const flow = (id: string, event: string, action: string) => ({
      id,
      trigger: { source: 'shop', event },
      steps: [{ id: 'look', action, input: { n: '{{ event.data.n }}' }, retry: { maxAttempts: 5 } }],
    });
    hub = await hubFolder({
      'baton.config.json': {
        connectors: {
          stock: instance({ rate: { requests: 20, per: '1s' } }),
          // No rate: only its calls in flight are limited, and the provider's pauses.
          paused: instance({ concurrency: 4 }),
        },
        sources: {
          shop: { verify: { scheme: 'standard-webhooks', secret: 'whsec_ZmF1bHQtdGVzdC1zZWNyZXQtMTIzNDU2' } },
        },
      },
      'stock.mjs': STOCK_CONNECTOR_MODULE,
      'flows/look.json': flow('look', 'order.created', 'stock.locations'),
      'flows/look-paused.json': flow('look-paused', 'order.paid', 'paused.locations'),
    });
    const env = workerEnv(redisUrl, prefix);
    await Promise.all([startWorker(hub.path, env, 16), startWorker(hub.path, env, 16)]);
    side = await dispatcher(hub.path, { url: redisUrl, prefix });
  }, 90_000);

  afterAll(async () => {
    killChildren();
    await side?.close();
    await deleteKeys(prefix);
    await sandbox?.close();
    await hub?.remove();
  });

  const fire = (type: string, n: number) =>
    side.engine.dispatch({
      specversion: '1.0',
      id: `${type}-${n}`,
      source: 'shop',
      type,
      time: new Date().toISOString(),
      data: { n },
    });

  // 200 runs at 20 requests/s keep the provider saturated for 10 s: ten full
  // windows in which two workers race for the budget prove the bound as 500
  // runs (25 s) did.
  it('200 runs against a provider limited to 20 requests/s: never more in any second, no 429, no run failed, one attempt each', async () => {
    await control('/limits/inventory', 'PUT', { requests: 20, per: 1000 });
    const answers = await Promise.all(Array.from({ length: RUNS }, (_, n) => fire('order.created', n)));
    const runs = await Promise.all(
      answers.map((a) => side.engine.waitForRun(a.runs[0]!.runId, { timeoutMs: 120_000 })),
    );
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => r.error)).toEqual([]);
    const attempts = runs.map((r) => r.steps.find((s) => s.id === 'look')!.attempts);
    expect(attempts.every((a) => a.length === 1 && a[0]!.throttled === undefined)).toBe(true);
    const seen = await stats();
    expect(seen.rejected).toBe(0);
    expect(seen.accepted).toBe(RUNS);
    expect(seen.maxInAnyWindow).toBeLessThanOrEqual(20);
    // Waiting is visible: most calls waited for their turn.
    expect(attempts.filter((a) => (a[0]!.waitedMs ?? 0) > 0).length).toBeGreaterThan(RUNS / 2);
  }, 180_000);

  it('one provider Retry-After pauses the instance for every run at once: nothing reaches the provider until it ends, and no 429 is an attempt', async () => {
    await control('/limits/inventory', 'DELETE');
    await control('/limits/inventory/pause', 'POST', { retryAfter: 2, status: 429 });
    const pausedAt = Date.now();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => fire('order.paid', n)));
    const runs = await Promise.all(
      answers.map((a) => side.engine.waitForRun(a.runs[0]!.runId, { timeoutMs: 60_000 })),
    );
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => r.error)).toEqual([]);
    const seen = await stats();
    // At most the calls in flight when the first 429 came (the instance's concurrency) were refused.
    expect(seen.rejected).toBeGreaterThanOrEqual(1);
    expect(seen.rejected).toBeLessThanOrEqual(4);
    const firstAccepted = Math.min(...seen.arrivals.filter((at) => at >= pausedAt));
    expect(firstAccepted - pausedAt).toBeGreaterThanOrEqual(1900);
    const attempts = runs.map((r) => r.steps.find((s) => s.id === 'look')!.attempts);
    expect(attempts.every((a) => a.length === 1)).toBe(true);
    expect(attempts.filter((a) => (a[0]!.throttled ?? 0) > 0).length).toBe(seen.rejected);
  }, 90_000);
});
