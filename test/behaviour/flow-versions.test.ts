import { type CompiledFlow, compileFlow, createEngine, type Flow, flowSchema } from '@baton/runtime';
import { createConnectorInstance } from '@baton/sdk/host';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { disposableRedisBackend, uniquePrefix } from '../helpers/redis';
import { until } from '../helpers/until';
import { backendsWithCluster } from './backends';

/**
 * A flow edited while runs are in flight: each run runs to its end on the
 * version it started with, whatever it is parked in when the engine
 * reloads, and new runs start on the new version.
 */

/** The flow `f` as version `tag`: `middle`, then `last` (whose input names the version); v2 adds `extra`. */
function flowAt(tag: 'v1' | 'v2', middle: object): CompiledFlow {
  const raw = {
    id: 'f',
    trigger: { source: 's', event: 'go' },
    steps: [
      middle,
      { id: 'last', action: 'probe.do', input: { __action: 'last', tag } },
      ...(tag === 'v2' ? [{ id: 'extra', action: 'probe.do', input: { __action: 'extra' } }] : []),
    ],
  };
  return compileFlow(flowSchema.parse(raw) as Flow);
}

const parkings = {
  'a retry wait': (tag: 'v1' | 'v2') => ({
    id: 'first',
    action: 'probe.do',
    // v2 would not retry at all: the parked run keeps v1's policy.
    retry: { maxAttempts: tag === 'v1' ? 2 : 1, initialInterval: '600ms' },
    input: { __action: 'first', tag },
  }),
  'a delay': (tag: 'v1' | 'v2') => ({ id: 'pause', delay: tag === 'v1' ? '600ms' : '1ms' }),
  'a wait step': (tag: 'v1' | 'v2') => ({
    id: 'paid',
    // v2 reads the key from another field: the v1 run still ends on v1's.
    wait: {
      source: 'pay',
      event: 'paid',
      key: '{{ event.data.order }}',
      eventKey: tag === 'v1' ? '{{ event.data.order }}' : '{{ event.data.ref }}',
    },
  }),
} as const;

describe.each(backendsWithCluster)('flow versions on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  it.each(Object.keys(parkings) as Array<keyof typeof parkings>)(
    'a run parked in %s finishes on its version after a reload; new runs use the new one',
    async (parking) => {
      const p = probe();
      p.script('first', [{ retryable: 'flaky' }, { ok: { id: 'done' } }]);
      const v1 = flowAt('v1', parkings[parking]('v1'));
      const v2 = flowAt('v2', parkings[parking]('v2'));
      expect(v1.version).not.toBe(v2.version);
      hub = testHub({
        backend: await factory.create(),
        connectors: { probe: { connector: p.connector } },
        flows: [v1.flow],
      });
      const h = hub;
      const { runs } = await h.fire({ source: 's', type: 'go', data: { order: 'o-1' } });
      const runId = runs[0]!.runId;
      await until(
        async () => ((await h.engine.getRun(runId))?.status === 'waiting' ? true : undefined),
        'the run parks',
        { timeoutMs: 5000, intervalMs: 10 },
      );

      expect(await h.engine.reload([v2])).toEqual({ flows: [{ id: 'f', version: v2.version }] });
      expect(h.engine.flows.get('f')?.version).toBe(v2.version);
      if (parking === 'a wait step') {
        const answer = await h.fire({ source: 'pay', type: 'paid', data: { order: 'o-1' } });
        expect(answer.resumed).toEqual([{ flow: 'f', runId, step: 'paid' }]);
      }

      const old = await h.engine.waitForRun(runId, { timeoutMs: 10_000 });
      expect(old).toMatchObject({ status: 'succeeded', flowVersion: v1.version });
      expect(old.steps.map((s) => s.id)).not.toContain('extra');
      expect(old.steps.find((s) => s.id === 'last')?.input).toEqual({ __action: 'last', tag: 'v1' });
      if (parking === 'a retry wait') expect(p.callsOf('first')).toHaveLength(2);

      const fresh = await h.fire({ source: 's', type: 'go', data: { order: 'o-2', ref: 'o-2' } });
      const newRunId = fresh.runs[0]!.runId;
      if (parking === 'a wait step') {
        await until(
          async () => ((await h.engine.getRun(newRunId))?.status === 'waiting' ? true : undefined),
          'the new run waits',
          { timeoutMs: 5000, intervalMs: 10 },
        );
        await h.fire({ source: 'pay', type: 'paid', data: { ref: 'o-2' } });
      }
      const next = await h.engine.waitForRun(newRunId, { timeoutMs: 10_000 });
      expect(next).toMatchObject({ status: 'succeeded', flowVersion: v2.version });
      expect(next.steps.map((s) => s.id)).toContain('extra');
      expect(next.steps.find((s) => s.id === 'last')?.input).toEqual({ __action: 'last', tag: 'v2' });
      expect(await h.engine.flowVersion('f', v1.version)).toEqual(JSON.parse(JSON.stringify(v1.flow)));
    },
  );
});

describe.each(backendsWithCluster)('schedules follow a reload on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  it('a schedule added by a reload ticks, one removed stops', async () => {
    const p = probe();
    const scheduled = (id: string) =>
      compileFlow(
        flowSchema.parse({
          id,
          trigger: { schedule: '* * * * * *' },
          steps: [{ id: 'send', action: 'probe.do', input: { __action: id } }],
        }) as Flow,
      );
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [scheduled('before').flow],
    });
    await hub.engine.startSchedules();
    await until(async () => (p.callsOf('before').length > 0 ? true : undefined), 'the first schedule ticks', {
      timeoutMs: 5000,
    });
    await hub.engine.reload([scheduled('after')]);
    await until(async () => (p.callsOf('after').length > 0 ? true : undefined), 'the new schedule ticks', {
      timeoutMs: 5000,
    });
    // A tick of the removed schedule queued before the reload may still run: count from a second later.
    await new Promise((r) => setTimeout(r, 1100));
    const before = p.callsOf('before').length;
    await new Promise((r) => setTimeout(r, 2100));
    expect(p.callsOf('before')).toHaveLength(before);
  });
});

describe('flow versions across Redis processes', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('a reload in one engine reaches others on the same prefix, which need no flow files', async () => {
    const prefix = uniquePrefix('reload');
    const p = probe();
    const v1 = flowAt('v1', parkings['a delay']('v1'));
    const v2 = flowAt('v2', parkings['a delay']('v2'));
    const engineOn = async (flows: CompiledFlow[]) => {
      const backend = await disposableRedisBackend({ prefix });
      const engine = createEngine({
        flows,
        backend,
        instances: new Map([['probe', createConnectorInstance(p.connector, {}, { name: 'probe' })]]),
      });
      closers.push(async () => {
        await engine.stop({ drainMs: 1000 });
        await backend.close();
      });
      return engine;
    };
    const first = await engineOn([v1]);
    // The first engine published v1 as current at start: the second, with no flows of its own, follows it.
    const second = await engineOn([]);
    await until(
      async () => (second.flows.get('f')?.version === v1.version ? true : undefined),
      'v1 reaches the second',
      {
        timeoutMs: 5000,
      },
    );
    const { runs } = await first.dispatch({
      specversion: '1.0',
      id: 'e1',
      source: 's',
      type: 'go',
      time: new Date().toISOString(),
      data: {},
    });

    await first.reload([v2]);
    await until(
      async () => (second.flows.get('f')?.version === v2.version ? true : undefined),
      'v2 reaches the second',
      {
        timeoutMs: 5000,
      },
    );
    // A third process, started after the reload, never had v1: it runs the v1 run on v1's stored definition.
    const third = await engineOn([]);
    await until(
      async () => (third.flows.get('f')?.version === v2.version ? true : undefined),
      'v2 is current',
      {
        timeoutMs: 5000,
      },
    );
    third.startWorker();
    const old = await third.waitForRun(runs[0]!.runId, { timeoutMs: 10_000 });
    expect(old).toMatchObject({ status: 'succeeded', flowVersion: v1.version });
    expect(old.steps.find((s) => s.id === 'last')?.input).toEqual({ __action: 'last', tag: 'v1' });
    const fresh = await second.trigger('f', {});
    const next = await third.waitForRun(fresh.runId, { timeoutMs: 10_000 });
    expect(next).toMatchObject({ status: 'succeeded', flowVersion: v2.version });
  });
});
