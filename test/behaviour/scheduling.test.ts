import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { latch, probe } from '../helpers/probe-connector';
import { backends } from './backends';

describe.each(backends)('step scheduling on $name', (factory) => {
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

  it('runs steps in dependency order; without needs a step needs the one before', async () => {
    const { p, run } = await start({
      steps: [
        { id: 'a', action: 'probe.do', input: { __action: 'a' } },
        { id: 'b', action: 'probe.do', input: { __action: 'b', from: '{{ steps.a.output.echo.__action }}' } },
        {
          id: 'c',
          action: 'probe.do',
          needs: ['a', 'b'],
          input: { __action: 'c', seen: '{{ steps.b.output.echo.from }}' },
        },
      ],
    });
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(p.calls.map((c) => c.action)).toEqual(['a', 'b', 'c']);
    expect(p.callsOf('c')[0]!.input).toEqual({ __action: 'c', seen: 'a' });
  });

  it('runs independent steps concurrently', async () => {
    const { p, run } = await start({
      steps: [
        { id: 'left', action: 'probe.do', needs: [], input: { __action: 'left' } },
        { id: 'right', action: 'probe.do', needs: [], input: { __action: 'right' } },
        { id: 'join', action: 'probe.do', needs: ['left', 'right'], input: { __action: 'join' } },
      ],
    });
    // Each side waits for the other to have started: only concurrent execution finishes.
    const leftStarted = latch();
    const rightStarted = latch();
    p.script('left', [
      {
        waitFor: () => {
          leftStarted.resolve();
          return rightStarted.promise;
        },
      },
    ]);
    p.script('right', [
      {
        waitFor: () => {
          rightStarted.resolve();
          return leftStarted.promise;
        },
      },
    ]);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(p.maxInFlight).toBe(2);
    expect(p.calls.map((c) => c.action).slice(-1)).toEqual(['join']);
  });

  it('skips a step whose if is false; its dependents still run and see the status', async () => {
    const { p, run } = await start({
      steps: [
        {
          id: 'stock',
          action: 'probe.do',
          input: { __action: 'stock', remaining: '{{ event.data.remaining }}' },
        },
        {
          id: 'low-stock',
          action: 'probe.do',
          if: '{{ steps.stock.output.echo.remaining < 5 }}',
          input: { __action: 'alert' },
        },
        {
          id: 'after',
          action: 'probe.do',
          input: { __action: 'after', alerted: '{{ steps.`low-stock`.status }}' },
        },
      ],
    });
    const plenty = await run({ remaining: 50 });
    expect(plenty.steps.map((s) => [s.id, s.status])).toEqual([
      ['stock', 'succeeded'],
      ['low-stock', 'skipped'],
      ['after', 'succeeded'],
    ]);
    expect(plenty.steps[1]!.skipReason).toBe('condition is false');
    expect(p.callsOf('after')[0]!.input).toEqual({ __action: 'after', alerted: 'skipped' });
    const scarce = await run({ remaining: 2 });
    expect(scarce.steps[1]!.status).toBe('succeeded');
    expect(p.callsOf('alert')).toHaveLength(1);
  });

  it('runs forEach items with a concurrency bound and collects outputs in order', async () => {
    const { p, run } = await start({
      steps: [
        {
          id: 'ship',
          action: 'probe.do',
          forEach: '{{ event.data.items }}',
          concurrency: 2,
          input: { __action: 'ship', sku: '{{ item.sku }}', position: '{{ index }}' },
        },
      ],
    });
    const gates = [latch(), latch(), latch(), latch(), latch()];
    // Calls are held and released one by one; each answers with its item's position.
    p.script(
      'ship',
      gates.map((g) => ({
        waitFor: g.promise,
        answer: (input: { position: number }) => ({ n: input.position }),
      })),
    );
    const done = run({ items: ['a', 'b', 'c', 'd', 'e'].map((sku) => ({ sku })) });
    for (const gate of gates) {
      await new Promise((r) => setTimeout(r, 20));
      gate.resolve();
    }
    const result = await done;
    expect(result.status).toBe('succeeded');
    expect(p.maxInFlight).toBeLessThanOrEqual(2);
    // Items that run at once may start in either order on a shared queue: compare by item.
    const calls = [...p.callsOf('ship')].sort((a, b) => a.item! - b.item!);
    expect(calls.map((c) => c.item)).toEqual([0, 1, 2, 3, 4]);
    expect(calls.map((c) => (c.input as { sku: string }).sku)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(result.steps[0]!.output).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(result.steps[0]!.items).toEqual({ total: 5, succeeded: 5, failed: 0 });
  });

  it('treats an empty forEach list as done', async () => {
    const { p, run } = await start({
      steps: [
        { id: 'ship', action: 'probe.do', forEach: '{{ event.data.items }}', input: { __action: 'ship' } },
      ],
    });
    const result = await run({ items: [] });
    expect(result.status).toBe('succeeded');
    expect(result.steps[0]!.output).toEqual([]);
    expect(p.calls).toHaveLength(0);
  });

  it('computes the flow output from the steps', async () => {
    const { run } = await start({
      steps: [{ id: 'a', action: 'probe.do', input: { __action: 'a', n: '{{ event.data.n }}' } }],
      output: { doubled: '{{ steps.a.output.echo.n * 2 }}', text: 'n is {{ event.data.n }}' },
    });
    expect((await run({ n: 21 })).output).toEqual({ doubled: 42, text: 'n is 21' });
  });
});
