import {
  type Backend,
  compileFlow,
  createEmbeddedBackend,
  createEngine,
  createRedisBackend,
  DURATION_BOUNDS_MS,
  type Engine,
  type Flow,
  type FlowAnalytics,
  flowSchema,
  type RunRecord,
} from '@baton/runtime';
import { defineAction, defineConnector, NonRetryableError, RetryableError } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';

/** Charges as told: `ok`, `flaky` (an order's first try times out) or `down`; ships unless told to refuse. */
function shopConnector() {
  const tried = new Set<string>();
  return defineConnector({
    name: 'shop',
    config: z.object({}),
    actions: {
      charge: defineAction({
        input: z.object({ order: z.string(), mode: z.enum(['ok', 'flaky', 'down']) }),
        output: z.object({ id: z.string() }),
        async run({ input }) {
          const first = !tried.has(input.order);
          tried.add(input.order);
          if (input.mode === 'down' || (input.mode === 'flaky' && first)) {
            throw new RetryableError('the payment gateway timed out', { code: 'GATEWAY_TIMEOUT' });
          }
          return { id: `ch_${input.order}` };
        },
      }),
      ship: defineAction({
        input: z.object({ refuse: z.boolean() }),
        output: z.object({ ok: z.boolean() }),
        async run({ input }) {
          if (input.refuse)
            throw new NonRetryableError('the carrier refused the label', { code: 'LABEL_REFUSED' });
          return { ok: true };
        },
      }),
    },
  });
}

const flow = compileFlow(
  flowSchema.parse({
    id: 'checkout',
    trigger: { source: 'shop', event: 'order.created' },
    steps: [
      {
        id: 'charge',
        action: 'pay.charge',
        input: { order: '{{ event.data.order }}', mode: '{{ event.data.charge }}' },
        retry: { maxAttempts: 2, initialInterval: '10ms' },
        fallback: [{ action: 'backup.charge', input: { order: '{{ event.data.order }}', mode: 'ok' } }],
      },
      { id: 'ship', action: 'shop.ship', input: { refuse: '{{ event.data.refuse }}' } },
    ],
  }) as Flow,
);

/** Two engines on one backend state, as a gateway and a worker: only the second runs steps. */
const setups = [
  {
    name: 'embedded',
    async open() {
      const backend = createEmbeddedBackend();
      return { gateway: backend, worker: backend, dispose: () => backend.close() };
    },
  },
  {
    name: 'redis (gateway and worker apart)',
    async open() {
      const prefix = uniquePrefix('analytics');
      const gateway = await createRedisBackend({ url: redisUrl, prefix });
      const worker = await createRedisBackend({ url: redisUrl, prefix });
      return {
        gateway,
        worker,
        async dispose() {
          await Promise.all([gateway.close(), worker.close()]);
          await deleteKeys(prefix);
        },
      };
    },
  },
];

function engineOn(backend: Backend): Engine {
  const shop = shopConnector();
  const instance = (name: string) => createConnectorInstance(shop, {}, { name });
  return createEngine({
    flows: [flow],
    instances: new Map([
      ['pay', instance('pay')],
      ['backup', instance('backup')],
      ['shop', instance('shop')],
    ]),
    backend,
    breakers: { pay: { failureThreshold: 2, resetAfter: '5m' } },
  });
}

/** The nearest-rank percentile of `values`, and the histogram bucket that holds it. */
function bucketOfPercentile(values: number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.ceil(q * sorted.length) - 1]!;
  const i = DURATION_BOUNDS_MS.findIndex((bound) => value <= bound);
  return { fromMs: i <= 0 ? 0 : DURATION_BOUNDS_MS[i - 1]!, toMs: i === -1 ? null : DURATION_BOUNDS_MS[i]! };
}

const span = (start?: string, end?: string) => Date.parse(end!) - Date.parse(start!);

describe.each(setups)('flow analytics on $name', (setup) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('add up the runs the worker ended: statuses, retries, fallbacks, breaker openings, errors, durations', async () => {
    const { gateway, worker, dispose } = await setup.open();
    const front = engineOn(gateway);
    const back = engineOn(worker);
    back.startWorker({ concurrency: 1 });
    close = async () => {
      await Promise.all([front.stop({ drainMs: 1000 }), back.stop({ drainMs: 1000 })]);
      await dispose();
    };

    const orders = [
      { order: 'a', charge: 'ok', refuse: false },
      { order: 'b', charge: 'flaky', refuse: false },
      // Two timeouts in a row open the breaker of `pay`; the fallback serves.
      { order: 'c', charge: 'down', refuse: false },
      // `pay` is open: rerouted to the fallback at once; the carrier refuses.
      { order: 'd', charge: 'ok', refuse: true },
    ];
    const runs: RunRecord[] = [];
    for (const data of orders) {
      const { runs: started } = await front.dispatch({
        specversion: '1.0',
        id: `evt-${data.order}`,
        source: 'shop',
        type: 'order.created',
        time: new Date().toISOString(),
        data,
      });
      runs.push(await front.waitForRun(started[0]!.runId, { timeoutMs: 10_000 }));
    }
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);

    const window = { since: Date.now() - 3_600_000 };
    let report: FlowAnalytics | undefined;
    // The worker writes as it ends each run; on Redis another process reads.
    await expect
      .poll(
        async () => {
          report = await front.flowAnalytics('checkout', window);
          return report.runs.total;
        },
        { timeout: 5_000 },
      )
      .toBe(4);

    const steps = (id: string) => runs.map((r) => r.steps.find((s) => s.id === id)!);
    const charge = steps('charge');
    const routesOf = (s: RunRecord['steps'][number]) => new Set(s.attempts.map((a) => a.route)).size;
    expect(report).toMatchObject({
      flow: 'checkout',
      window: { bucket: '1m' },
      runs: { succeeded: 3, failed: 1, cancelled: 0, total: 4 },
      successRate: 0.75,
      retries: charge.reduce((n, s) => n + s.attempts.length - routesOf(s), 0),
      fallbacks: charge.filter((s) => s.attempts.some((a) => a.route > 0)).length,
      breakerOpenings: 1,
      breakers: [
        { instance: 'backup', openings: 0 },
        { instance: 'pay', openings: 1 },
        { instance: 'shop', openings: 0 },
      ],
      // No wait steps: what calls waited for their turn, as their attempts say.
      waitingMs: runs
        .flatMap((r) => r.steps.flatMap((s) => s.attempts))
        .reduce((n, a) => n + (a.waitedMs ?? 0), 0),
      topErrors: [{ code: 'LABEL_REFUSED', count: 1 }],
      topAttemptErrors: [
        { code: 'GATEWAY_TIMEOUT', count: 3 },
        { code: 'BREAKER_OPEN', count: 1 },
        { code: 'LABEL_REFUSED', count: 1 },
      ],
    });
    expect(report!.retries).toBe(2);
    expect(report!.fallbacks).toBe(2);
    expect(report!.steps.map((s) => [s.id, s.runs, s.attempts, s.retries, s.fallbacks])).toEqual([
      ['charge', 4, charge.reduce((n, s) => n + s.attempts.length, 0), 2, 2],
      ['ship', 4, 4, 0, 0],
    ]);
    const durations = runs.map((r) => span(r.createdAt, r.endedAt));
    for (const [q, key] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
    ] as const) {
      expect(report!.duration[key]).toMatchObject(bucketOfPercentile(durations, q));
      expect(report!.steps[0]![key]).toMatchObject(
        bucketOfPercentile(
          charge.map((s) => span(s.startedAt, s.endedAt)),
          q,
        ),
      );
    }
  });
});
