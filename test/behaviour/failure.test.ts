import { NonRetryableError } from '@baton/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { latch, probe } from '../helpers/probe-connector';
import { backendsWithCluster } from './backends';

const once = { maxAttempts: 1 };

describe.each(backendsWithCluster)('failure, compensation and onFailure on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function start(flow: object) {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [{ id: 'f', trigger: { source: 's', event: 'go' }, ...flow }],
    });
    const run = async (data: unknown = {}) => {
      const { runs } = await hub!.fire({ source: 's', type: 'go', data });
      return hub!.engine.waitForRun(runs[0]!.runId);
    };
    return { p, hub, run };
  }

  const order = {
    steps: [
      {
        id: 'stock',
        action: 'probe.do',
        input: { __action: 'reserve' },
        compensate: {
          action: 'probe.undo',
          input: { __action: 'release', reservation: '{{ steps.stock.output.id }}' },
        },
      },
      {
        id: 'crm',
        action: 'probe.do',
        input: { __action: 'crm' },
      },
      {
        id: 'charge',
        action: 'probe.do',
        input: { __action: 'charge' },
        compensate: {
          action: 'probe.undo',
          input: { __action: 'refund', charge: '{{ steps.charge.output.id }}' },
          retry: { maxAttempts: 3, initialInterval: '10ms' },
        },
      },
      { id: 'ship', action: 'probe.do', retry: once, input: { __action: 'ship' } },
      { id: 'never', action: 'probe.do', input: { __action: 'never' } },
    ],
    onFailure: [
      {
        id: 'page-ops',
        action: 'probe.do',
        input: { __action: 'page', text: 'failed: {{ run.error.message }}' },
      },
    ],
  };

  it('compensates succeeded steps in reverse order, retrying compensations, then runs onFailure', async () => {
    const { p, run } = await start(order);
    p.script('reserve', [{ ok: { id: 'res_1' } }]);
    p.script('charge', [{ ok: { id: 'ch_1' } }]);
    p.script('ship', [{ fatal: 'no carrier', code: 'NO_CARRIER' }]);
    p.script('refund', [{ retryable: 'refund api down' }, { ok: { refunded: true } }]);
    const result = await run();

    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'NO_CARRIER', message: 'Step "ship" failed: no carrier' });
    expect(p.calls.map((c) => c.action)).toEqual([
      'reserve',
      'crm',
      'charge',
      'ship',
      'refund',
      'refund',
      'release',
      'page',
    ]);
    expect(p.callsOf('refund')[0]!.input).toEqual({ __action: 'refund', charge: 'ch_1' });
    expect(p.callsOf('release')[0]!.input).toEqual({ __action: 'release', reservation: 'res_1' });
    expect(p.callsOf('page')[0]!.input).toEqual({
      __action: 'page',
      text: 'failed: Step "ship" failed: no carrier',
    });

    const byId = Object.fromEntries(result.steps.map((s) => [s.id, s]));
    expect(byId.stock).toMatchObject({
      status: 'compensated',
      compensation: { status: 'succeeded', action: 'probe.undo' },
    });
    expect(byId.charge!.status).toBe('compensated');
    expect(byId.charge!.compensation!.attempts).toHaveLength(2);
    expect(byId.crm!.status).toBe('succeeded');
    expect(byId.ship!.status).toBe('failed');
    expect(byId.never).toMatchObject({ status: 'skipped', skipReason: 'the run failed' });
    expect(byId['page-ops']).toMatchObject({ status: 'succeeded', phase: 'onFailure' });
  });

  it('records a compensation that keeps failing and goes on with the others', async () => {
    const { p, run } = await start(order);
    p.script('reserve', [{ ok: { id: 'res_1' } }]);
    p.script('charge', [{ ok: { id: 'ch_1' } }]);
    p.script('ship', [{ fatal: 'no carrier' }]);
    p.script('refund', [{ fatal: 'refund refused', code: 'REFUND_REFUSED' }]);
    const result = await run();
    const byId = Object.fromEntries(result.steps.map((s) => [s.id, s]));
    expect(byId.charge).toMatchObject({
      status: 'succeeded',
      compensation: { status: 'failed', error: { code: 'REFUND_REFUSED' } },
    });
    expect(byId.stock!.status).toBe('compensated');
    expect(result.status).toBe('failed');
  });

  it('lets the run go on past a step with continueOnError', async () => {
    const { p, run } = await start({
      steps: [
        { id: 'alert', action: 'probe.do', continueOnError: true, retry: once, input: { __action: 'alert' } },
        { id: 'next', action: 'probe.do', input: { __action: 'next', saw: '{{ steps.alert.status }}' } },
      ],
      onFailure: [{ id: 'page', action: 'probe.do', input: { __action: 'page' } }],
    });
    p.script('alert', [{ fatal: 'slack down' }]);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => s.status)).toEqual(['failed', 'succeeded', 'skipped']);
    expect(result.steps[2]).toMatchObject({
      id: 'page',
      phase: 'onFailure',
      skipReason: 'the run succeeded',
    });
    expect(p.callsOf('page')).toHaveLength(0);
    expect(p.callsOf('next')[0]!.input).toEqual({ __action: 'next', saw: 'failed' });
  });

  it('waits for steps still running before compensating them too', async () => {
    const gate = latch();
    const { p, run } = await start({
      steps: [
        {
          id: 'slow',
          action: 'probe.do',
          needs: [],
          input: { __action: 'slow' },
          compensate: { action: 'probe.undo', input: { __action: 'undo-slow' } },
        },
        { id: 'bad', action: 'probe.do', needs: [], retry: once, input: { __action: 'bad' } },
      ],
    });
    p.script('slow', [{ waitFor: gate.promise, answer: { done: true } }]);
    p.script('bad', [{ fatal: 'boom' }]);
    const done = run();
    await new Promise((r) => setTimeout(r, 50));
    gate.resolve();
    const result = await done;
    expect(result.status).toBe('failed');
    expect(result.steps[0]).toMatchObject({ id: 'slow', status: 'compensated' });
    expect(p.callsOf('undo-slow')).toHaveLength(1);
  });

  it('fails a run that outlives the flow timeout', async () => {
    const { p, run } = await start({
      timeout: '100ms',
      steps: [{ id: 'hang', action: 'probe.do', timeout: '5s', input: { __action: 'hang' } }],
    });
    // Counted from when the step is called, not from now: a hub's first run may take a while to start.
    p.script('hang', [{ waitFor: () => new Promise((r) => setTimeout(r, 300)) }]);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'FLOW_TIMEOUT' });
  });

  // Regression: a step parked for its delay or a retry when the run turned to failure used to
  // keep the run `compensating` forever (its task was dropped and compensation waited for it).
  it('interrupts a step parked for a delay when the flow times out, compensates, runs onFailure and ends', async () => {
    const { p, run } = await start({
      timeout: '150ms',
      steps: [
        {
          id: 'stock',
          action: 'probe.do',
          input: { __action: 'reserve' },
          compensate: { action: 'probe.undo', input: { __action: 'release' } },
        },
        { id: 'cool-off', delay: '1h', needs: ['stock'] },
        { id: 'later', action: 'probe.do', input: { __action: 'later' } },
      ],
      onFailure: [{ id: 'page-ops', action: 'probe.do', input: { __action: 'page' } }],
    });
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'FLOW_TIMEOUT' });
    const step = (id: string) => result.steps.find((s) => s.id === id)!;
    expect(step('cool-off')).toMatchObject({ status: 'failed', error: { code: 'STEP_INTERRUPTED' } });
    expect(step('stock').status).toBe('compensated');
    expect(step('later')).toMatchObject({ status: 'skipped', skipReason: 'the run failed' });
    expect(p.calls.map((c) => c.action)).toEqual(['reserve', 'release', 'page']);
  });

  it('does not retry a step parked for a retry once another step failed the run', async () => {
    const { p, run } = await start({
      steps: [
        {
          id: 'flaky',
          action: 'probe.do',
          retry: { maxAttempts: 5, initialInterval: '200ms' },
          input: { __action: 'flaky' },
        },
        { id: 'broken', action: 'probe.do', needs: [], retry: once, input: { __action: 'broken' } },
      ],
    });
    p.script('flaky', [{ retryable: 'try later' }, { ok: {} }]);
    const gate = latch();
    p.script('broken', [
      {
        waitFor: gate.promise,
        answer: () => {
          throw new NonRetryableError('nope', { code: 'BROKEN' });
        },
      },
    ]);
    const pending = run();
    // Let "flaky" fail once and park for its retry before "broken" fails the run.
    await new Promise((r) => setTimeout(r, 60));
    gate.resolve();
    const result = await pending;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'BROKEN' });
    const flaky = result.steps.find((s) => s.id === 'flaky')!;
    expect(flaky.status).toBe('failed');
    expect(flaky.attempts).toHaveLength(1);
    expect(p.calls.filter((c) => c.action === 'flaky')).toHaveLength(1);
  });
});
