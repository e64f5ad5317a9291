import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { backends } from './backends';

const flow = (id: string, trigger: object, extra: object = {}) => ({
  id,
  trigger,
  steps: [{ id: 'one', action: 'probe.do', input: { __action: id, total: '{{ event.data.total }}' } }],
  ...extra,
});

describe.each(backends)('routing on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function start(flows: unknown[]) {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows,
    });
    return { p, hub };
  }

  it('starts one run per subscribed flow whose trigger matches and whose if holds', async () => {
    const { hub } = await start([
      flow('exact', { source: 'shop', event: 'order.created' }),
      flow('family', { source: 'shop', event: 'order.*' }),
      flow('positive-only', { source: 'shop', event: 'order.created', if: '{{ event.data.total > 0 }}' }),
      flow('other-source', { source: 'crm', event: 'order.created' }),
      flow('other-type', { source: 'shop', event: 'refund.created' }),
    ]);
    const zero = await hub.fire({ source: 'shop', type: 'order.created', data: { total: 0 } });
    expect(zero.runs.map((r) => r.flow).sort()).toEqual(['exact', 'family']);
    const paid = await hub.fire({ source: 'shop', type: 'order.created', data: { total: 12 } });
    expect(paid.runs.map((r) => r.flow).sort()).toEqual(['exact', 'family', 'positive-only']);
    const updated = await hub.fire({ source: 'shop', type: 'order.updated', data: { total: 12 } });
    expect(updated.runs.map((r) => r.flow)).toEqual(['family']);
    for (const { runId } of [...zero.runs, ...paid.runs, ...updated.runs]) {
      expect((await hub.engine.waitForRun(runId)).status).toBe('succeeded');
    }
  });

  it('answers a duplicate event with the first runs and starts nothing new', async () => {
    const { hub, p } = await start([flow('exact', { source: 'shop', event: 'order.created' })]);
    const first = await hub.fire({ id: 'evt-1', source: 'shop', type: 'order.created', data: { total: 1 } });
    await hub.engine.waitForRun(first.runs[0]!.runId);
    const again = await hub.fire({ id: 'evt-1', source: 'shop', type: 'order.created', data: { total: 1 } });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(first.duplicate).toBe(false);
    expect(p.calls).toHaveLength(1);
    const other = await hub.fire({ id: 'evt-1', source: 'crm', type: 'order.created' });
    expect(other.duplicate).toBe(false);
  });

  it('records the event CloudEvents-shaped and the run as queued, then succeeded', async () => {
    const { hub } = await start([flow('exact', { source: 'shop', event: 'order.created' })]);
    const result = await hub.fire({ id: 'evt-9', source: 'shop', type: 'order.created', data: { total: 5 } });
    const run = await hub.engine.waitForRun(result.runs[0]!.runId);
    expect(run).toMatchObject({
      flow: 'exact',
      status: 'succeeded',
      trigger: 'webhook',
      event: { specversion: '1.0', id: 'evt-9', source: 'shop', type: 'order.created', data: { total: 5 } },
      steps: [{ id: 'one', status: 'succeeded', output: { echo: { __action: 'exact', total: 5 } } }],
    });
    expect(run.endedAt! >= run.createdAt).toBe(true);
  });

  it('starts a flow by hand with the given data', async () => {
    const { hub } = await start([flow('manual', { source: 'shop', event: 'never' })]);
    const { runId } = await hub.engine.trigger('manual', { total: 3 }, { actor: 'alice' });
    const run = await hub.engine.waitForRun(runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      event: { source: 'manual', data: { total: 3 } },
    });
    expect(run.audit).toEqual([expect.objectContaining({ action: 'trigger', actor: 'alice' })]);
    await expect(hub.engine.trigger('nope', {})).rejects.toMatchObject({ code: 'FLOW_NOT_FOUND' });
  });
});
