import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { until } from '../helpers/until';
import { backends } from './backends';

describe.each(backends)('delays and retry waits park the run on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function start(flow: object) {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [{ id: 'f', trigger: { source: 's', event: 'go' }, ...flow }],
    });
    return { p, hub };
  }

  it('parks a delay step without holding a worker, then resumes', async () => {
    const { p, hub } = await start({
      steps: [
        { id: 'before', action: 'probe.do', input: { __action: 'before' } },
        { id: 'wait', delay: '400ms' },
        { id: 'after', action: 'probe.do', input: { __action: 'after' } },
      ],
    });
    const { runs } = await hub.fire({ source: 's', type: 'go' });
    const runId = runs[0]!.runId;
    const waiting = await until(
      async () => {
        const run = await hub.engine.getRun(runId);
        return run?.status === 'waiting' ? run : undefined;
      },
      'the run waits',
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(waiting.steps[1]).toMatchObject({ id: 'wait', status: 'running', wakeAt: expect.any(String) });
    // The task ends just after the run's status is written (its handler returns then): well
    // within the delay, no task of the run is active any more.
    const depth = await until(
      async () => {
        const now = await hub.engine.backend.queue.depth();
        return now.active === 0 ? now : undefined;
      },
      'the worker lets go of the run',
      { timeoutMs: 300, intervalMs: 5 },
    );
    expect(depth.delayed).toBeGreaterThanOrEqual(1);
    expect(p.callsOf('after')).toHaveLength(0);
    const result = await hub.engine.waitForRun(runId);
    expect(result.status).toBe('succeeded');
    expect(result.steps[1]!.output).toEqual({ waitedUntil: waiting.steps[1]!.wakeAt });
  });

  it('waits until a time computed from the event', async () => {
    const { hub } = await start({ steps: [{ id: 'wait', delay: { until: '{{ event.data.at }}' } }] });
    const at = new Date(Date.now() + 150).toISOString();
    const { runs } = await hub.fire({ source: 's', type: 'go', data: { at } });
    const result = await hub.engine.waitForRun(runs[0]!.runId);
    expect(result.status).toBe('succeeded');
    expect(Date.parse(result.steps[0]!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(at) - 5);
    const bad = await hub.fire({ source: 's', type: 'go', data: { at: 'not a date' } });
    const failed = await hub.engine.waitForRun(bad.runs[0]!.runId);
    expect(failed.error).toMatchObject({ code: 'DELAY_UNTIL_INVALID' });
  });

  it('parks a retry wait: the run is waiting and no worker holds it', async () => {
    const { p, hub } = await start({
      steps: [
        {
          id: 'charge',
          action: 'probe.do',
          retry: { maxAttempts: 2, initialInterval: '400ms' },
          input: { __action: 'charge' },
        },
      ],
    });
    p.script('charge', [{ retryable: 'flaky' }, { ok: { id: 'ch' } }]);
    const { runs } = await hub.fire({ source: 's', type: 'go' });
    const runId = runs[0]!.runId;
    await until(
      async () => ((await hub.engine.getRun(runId))?.status === 'waiting' ? true : undefined),
      'the run waits',
      {
        timeoutMs: 5000,
        intervalMs: 10,
      },
    );
    // As above: the task ends just after the status is written, well before the retry is due.
    await until(
      async () => ((await hub.engine.backend.queue.depth()).active === 0 ? true : undefined),
      'the worker lets go of the run',
      { timeoutMs: 300, intervalMs: 5 },
    );
    expect((await hub.engine.waitForRun(runId)).status).toBe('succeeded');
  });
});
