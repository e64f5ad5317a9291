import { type Backend, createEmbeddedBackend, type RetentionOptions } from '@baton/runtime';
import { defineAction, defineConnector, NonRetryableError } from '@baton/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type TestHub, testHub } from '../helpers/hub';
import { disposableRedisBackend } from '../helpers/redis';

/** The backends of the suite (backends.ts), made with a retention of the test's choosing. */
const factories: Array<{ name: string; create(retention: RetentionOptions): Promise<Backend> }> = [
  { name: 'embedded', create: async (retention) => createEmbeddedBackend({ retention }) },
  { name: 'redis', create: (retention) => disposableRedisBackend({ retention }) },
];

/** One action that does nothing unless told to fail: the runs cost only the engine's own work. */
const noop = defineConnector({
  name: 'noop',
  config: z.object({}),
  actions: {
    do: defineAction({
      input: z.object({ fail: z.boolean().optional() }),
      output: z.object({}),
      async run({ input }) {
        if (input.fail) throw new NonRetryableError('the order was refused', { code: 'ORDER_REFUSED' });
        return {};
      },
    }),
  },
});

const flow = {
  id: 'order',
  trigger: { source: 's', event: 'go' },
  steps: [{ id: 'a', action: 'noop.do', input: { fail: '{{ event.data.fail }}' } }],
};

/** Dispatches `count` events, at most `inFlight` runs unfinished at once; resolves when every run ended. */
async function runMany(
  hub: TestHub,
  count: number,
  data: { fail: boolean },
  inFlight = 500,
): Promise<string[]> {
  const ids: string[] = [];
  let ended = 0;
  let wake: (() => void) | undefined;
  const off = hub.engine.on((event) => {
    if (event.type !== 'run.ended') return;
    ended += 1;
    wake?.();
  });
  const start = ended;
  try {
    for (let sent = 0; sent < count; ) {
      while (sent - (ended - start) >= inFlight) await new Promise<void>((resolve) => (wake = resolve));
      const batch = Math.min(100, count - sent, inFlight - (sent - (ended - start)));
      const results = await Promise.all(
        Array.from({ length: batch }, () => hub.fire({ source: 's', type: 'go', data })),
      );
      for (const { runs } of results) ids.push(runs[0]!.runId);
      sent += batch;
    }
    while (ended - start < count) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    off();
  }
  return ids;
}

describe.each(factories)('dead letters on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  // 5,000 succeeded runs over a retention of 200 overflow it 25 times: each trim
  // pass runs many times with the failed runs the oldest records, so a trim
  // that dropped failed runs along with succeeded ones would show here as
  // surely as after 50,000, in a tenth of the time.
  it('keeps all 100 failed runs readable after 5,000 succeeded ones overflowed retention 25 times', {
    timeout: 120_000,
  }, async () => {
    const retained = 200;
    const succeeded = 5_000;
    const backend = await factory.create({ runs: retained });
    hub = testHub({ backend, connectors: { noop: { connector: noop } }, flows: [flow], concurrency: 64 });
    const failed = await runMany(hub, 100, { fail: true });
    await runMany(hub, succeeded, { fail: false });
    // Redis trims in passes after runs end: let the last one finish.
    const store = backend.runs as { trim?: () => Promise<void> };
    await store.trim?.();

    for (const id of failed) {
      const run = await hub.engine.getRun(id);
      expect(run?.status, id).toBe('failed');
      expect(run?.error?.code).toBe('ORDER_REFUSED');
    }
    const counts = await backend.runs.counts();
    expect(counts.failed).toBe(100);
    expect(counts.succeeded).toBe(retained);
    const listed = await hub.engine.listRuns({ status: 'failed', limit: 500 });
    expect(listed.runs.map((r) => r.id).sort()).toEqual([...failed].sort());
  });

  it('drops failed runs older than retention.failed.maxAge, and only those', async () => {
    const backend = await factory.create({ runs: 1000, failed: { maxAgeMs: 300 } });
    hub = testHub({ backend, connectors: { noop: { connector: noop } }, flows: [flow] });
    const [old] = await runMany(hub, 1, { fail: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const [fresh] = await runMany(hub, 1, { fail: true });
    const [success] = await runMany(hub, 1, { fail: false });
    const store = backend.runs as { trim?: () => Promise<void> };
    await store.trim?.();
    expect(await hub.engine.getRun(old!)).toBeUndefined();
    expect((await hub.engine.getRun(fresh!))?.status).toBe('failed');
    expect((await hub.engine.getRun(success!))?.status).toBe('succeeded');
  });
});
