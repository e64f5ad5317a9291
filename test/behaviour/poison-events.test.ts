import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { backends } from './backends';

/**
 * A poison event: data shaped to make an honest flow's expressions build a
 * huge value or backtrack without end. Its run fails once with a limit
 * error (no retry, no redelivery loop on Redis), and the worker goes on to
 * the next event.
 */
describe.each(backends)('poison events on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  it.each([
    ['a $pad wider than the limit with a long fill', '{{ $pad("a", event.data.width, event.data.fill) }}'],
    ['a $join with a long separator', '{{ $join(event.data.items, event.data.fill) }}'],
    ['a $replace that multiplies the string', '{{ $replace(event.data.fill, "x", event.data.fill) }}'],
  ])('%s ends its run failed with a limit error, once', async (_what, template) => {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [
        {
          id: 'poisoned',
          trigger: { source: 's', event: 'go' },
          steps: [
            {
              id: 'format',
              action: 'probe.do',
              retry: { maxAttempts: 3, initialInterval: '10ms' },
              input: { __action: 'format', text: template },
            },
          ],
        },
      ],
    });
    const poison = { width: 1_000_001, fill: 'x'.repeat(200_000), items: ['a', 'b', 'c', 'd', 'e', 'f'] };
    const fired = await hub.fire({ source: 's', type: 'go', data: poison });
    const run = await hub.engine.waitForRun(fired.runs[0]!.runId);

    expect(run.status).toBe('failed');
    const step = run.steps.find((s) => s.id === 'format')!;
    expect(step.attempts).toHaveLength(1);
    expect(step.error).toMatchObject({
      code: 'INPUT_EXPRESSION_FAILED',
      retryable: false,
      cause: { code: 'EXPRESSION_LIMIT' },
    });
    expect(p.callsOf('format')).toHaveLength(0);

    // The same worker carries on with an ordinary event.
    const next = await hub.fire({ source: 's', type: 'go', data: { width: 3, fill: '-', items: ['a'] } });
    expect((await hub.engine.waitForRun(next.runs[0]!.runId)).status).toBe('succeeded');
  });

  it('a regular expression that would backtrack for ever answers at once', async () => {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows: [
        {
          id: 'matcher',
          trigger: { source: 's', event: 'go' },
          steps: [
            {
              id: 'check',
              action: 'probe.do',
              input: { __action: 'check', ok: '{{ $contains(event.data.text, /^(a+)+$/) }}' },
            },
          ],
        },
      ],
    });
    const fired = await hub.fire({ source: 's', type: 'go', data: { text: `${'a'.repeat(40)}!` } });
    const run = await hub.engine.waitForRun(fired.runs[0]!.runId);
    expect(run.status).toBe('succeeded');
    expect(p.callsOf('check')[0]!.input).toMatchObject({ ok: false });
  });
});
