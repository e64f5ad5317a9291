import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { backends } from './backends';

const fast = { maxAttempts: 3, initialInterval: '10ms', maximumInterval: '50ms' };

describe.each(backends)('retries, timeouts, breakers and fallbacks on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function start(steps: object[], breaker?: { failureThreshold?: number; resetAfter?: string }) {
    const p = probe();
    // A second instance of the same connector: breakers are per instance.
    const backup = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: {
        probe: { connector: p.connector, ...(breaker ? { breaker } : {}) },
        backup: { connector: backup.connector },
      },
      flows: [{ id: 'f', trigger: { source: 's', event: 'go' }, steps }],
    });
    const run = async (data: unknown = {}) => {
      const { runs } = await hub!.fire({ source: 's', type: 'go', data });
      return hub!.engine.waitForRun(runs[0]!.runId);
    };
    return { p, backup, hub, run };
  }

  it('retries retryable errors under the policy and records every attempt', async () => {
    const { p, run } = await start([
      { id: 'charge', action: 'probe.do', retry: fast, input: { __action: 'charge' } },
    ]);
    p.script('charge', [{ retryable: 'flaky 1' }, { retryable: 'flaky 2' }, { ok: { id: 'ch_1' } }]);
    const result = await run();
    expect(result.status).toBe('succeeded');
    const step = result.steps[0]!;
    expect(step.output).toEqual({ id: 'ch_1' });
    expect(step.attempts).toHaveLength(3);
    expect(step.attempts.map((a) => a.error?.message)).toEqual(['flaky 1', 'flaky 2', undefined]);
    for (const attempt of step.attempts) {
      expect(attempt.action).toBe('probe.do');
      expect(Date.parse(attempt.endedAt)).toBeGreaterThanOrEqual(Date.parse(attempt.startedAt));
    }
    expect(p.callsOf('charge').map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it('fails after the last attempt with the last error', async () => {
    const { p, run } = await start([
      { id: 'charge', action: 'probe.do', retry: { ...fast, maxAttempts: 2 }, input: { __action: 'charge' } },
    ]);
    p.script('charge', [{ retryable: 'first' }, { retryable: 'second' }]);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.steps[0]!.attempts).toHaveLength(2);
    expect(result.steps[0]!.error).toMatchObject({ code: 'RETRYABLE', message: 'second' });
  });

  it('fails a non-retryable error at once', async () => {
    const { p, run } = await start([
      { id: 'charge', action: 'probe.do', retry: fast, input: { __action: 'charge' } },
    ]);
    p.script('charge', [{ fatal: 'card declined', code: 'card_declined' }]);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.steps[0]).toMatchObject({
      status: 'failed',
      error: { code: 'card_declined', retryable: false },
    });
    expect(result.steps[0]!.attempts).toHaveLength(1);
    expect(result.error).toMatchObject({
      code: 'card_declined',
      message: 'Step "charge" failed: card declined',
    });
  });

  it('treats codes listed in nonRetryable as final even when retryable', async () => {
    const { p, run } = await start([
      {
        id: 'charge',
        action: 'probe.do',
        retry: { ...fast, nonRetryable: ['RETRYABLE'] },
        input: { __action: 'charge' },
      },
    ]);
    p.script('charge', [{ retryable: 'would retry' }]);
    const result = await run();
    expect(result.steps[0]!.attempts).toHaveLength(1);
    expect(result.status).toBe('failed');
  });

  it("waits at least the connector's retry-after before calling again, and the throttled answer is no attempt", async () => {
    const { p, run } = await start([
      { id: 'charge', action: 'probe.do', retry: fast, input: { __action: 'charge' } },
    ]);
    p.script('charge', [{ retryable: 'slow down', retryAfterMs: 300 }, { ok: { id: 'ch_2' } }]);
    const started = Date.now();
    const result = await run();
    const [only, ...more] = result.steps[0]!.attempts;
    expect(more).toEqual([]);
    expect(only).toMatchObject({ throttled: 1 });
    expect(only!.error).toBeUndefined();
    expect(Date.parse(only!.startedAt) - started).toBeGreaterThanOrEqual(295);
    expect(p.callsOf('charge').map((c) => c.attempt)).toEqual([1, 1]);
  });

  it('aborts an attempt at its timeout through the signal, and retries it', async () => {
    const { p, run } = await start([
      {
        id: 'slow',
        action: 'probe.do',
        timeout: '50ms',
        retry: { ...fast, maxAttempts: 2 },
        input: { __action: 'slow' },
      },
    ]);
    p.script('slow', [{ hang: true }, { ok: { done: true } }]);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(result.steps[0]!.attempts[0]!.error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(p.callsOf('slow')[0]!.aborted).toBe(true);
  });

  it('reroutes to fallbacks in order once the primary is exhausted; the record shows which route served', async () => {
    const { p, run } = await start([
      {
        id: 'ship',
        action: 'probe.do',
        retry: { ...fast, maxAttempts: 2 },
        input: { __action: 'carrier-a' },
        fallback: [
          { action: 'probe.alt', input: { __action: 'carrier-b' }, retry: { maxAttempts: 1 } },
          { action: 'probe.alt', input: { __action: 'carrier-c' } },
        ],
      },
    ]);
    p.script('carrier-a', [{ retryable: 'a down' }]);
    p.script('carrier-b', [{ fatal: 'b refuses' }]);
    p.script('carrier-c', [{ ok: { carrier: 'c' } }]);
    const result = await run();
    expect(result.status).toBe('succeeded');
    const step = result.steps[0]!;
    expect(step.output).toEqual({ carrier: 'c' });
    expect(step.servedBy).toBe('probe.alt');
    expect(step.attempts.map((a) => [a.route, a.error?.message ?? 'ok'])).toEqual([
      [0, 'a down'],
      [0, 'a down'],
      [1, 'b refuses'],
      [2, 'ok'],
    ]);
    expect(hub!.events.filter((e) => e.type === 'step.rerouted')).toHaveLength(2);
  });

  it('opens the breaker after repeated failures, short-circuits calls and reroutes while open', async () => {
    const { p, backup, run } = await start(
      [
        {
          id: 'pay',
          action: 'probe.do',
          retry: { maxAttempts: 1 },
          input: { __action: 'primary' },
          fallback: [{ action: 'backup.do', input: { __action: 'backup' } }],
        },
      ],
      { failureThreshold: 2, resetAfter: '300ms' },
    );
    p.script('primary', [{ retryable: 'down' }]);
    backup.script('backup', [{ ok: { via: 'backup' } }]);
    await run();
    await run();
    expect((await hub!.engine.breakerStates()).probe).toMatchObject({ state: 'open', failures: 2 });
    const third = await run();
    expect(p.callsOf('primary')).toHaveLength(2);
    expect(third.steps[0]!.attempts[0]!.error).toMatchObject({ code: 'BREAKER_OPEN' });
    expect(third.steps[0]!.output).toEqual({ via: 'backup' });
    // After resetAfter one trial call goes through; its success closes the breaker.
    p.script('primary', [{ ok: { via: 'primary' } }]);
    await new Promise((r) => setTimeout(r, 350));
    const fourth = await run();
    expect(fourth.steps[0]!.output).toEqual({ via: 'primary' });
    expect((await hub!.engine.breakerStates()).probe).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('does not count non-retryable failures against the breaker', async () => {
    const { p, run } = await start(
      [{ id: 'pay', action: 'probe.do', retry: { maxAttempts: 1 }, input: { __action: 'pay' } }],
      {
        failureThreshold: 1,
      },
    );
    p.script('pay', [{ fatal: 'declined' }]);
    await run();
    expect((await hub!.engine.breakerStates()).probe ?? { state: 'closed' }).toMatchObject({
      state: 'closed',
    });
  });
});
