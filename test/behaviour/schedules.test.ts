import { afterEach, describe, expect, it } from 'vitest';
import { type TestHub, testHub } from '../helpers/hub';
import { probe } from '../helpers/probe-connector';
import { backends } from './backends';

describe.each(backends)('schedules on $name', (factory) => {
  let hub: TestHub | undefined;
  afterEach(async () => hub?.close());

  async function start(flows: object[]) {
    const p = probe();
    hub = testHub({
      backend: await factory.create(),
      connectors: { probe: { connector: p.connector } },
      flows,
    });
    return { p, hub };
  }

  const report = (id: string, schedule: string, extra: object = {}) => ({
    id,
    trigger: { schedule, timezone: 'Europe/Paris', ...extra },
    steps: [{ id: 'send', action: 'probe.do', input: { __action: id, at: '{{ event.data.scheduledAt }}' } }],
  });

  it('starts a run at each cron tick', async () => {
    const { p, hub } = await start([report('every-second', '* * * * * *')]);
    await hub.engine.startSchedules();
    const deadline = Date.now() + 5000;
    while (p.callsOf('every-second').length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const { runs } = await hub.engine.listRuns({ flow: 'every-second' });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const run = (await hub.engine.getRun(runs.at(-1)!.id))!;
    expect(run).toMatchObject({ trigger: 'schedule', event: { source: 'schedule', type: 'schedule.tick' } });
    expect(Date.parse(run.event.time) % 1000).toBe(0);
  });

  it('runs a tick once however often it is delivered', async () => {
    const { p, hub } = await start([report('nightly', '0 2 * * *')]);
    const at = new Date(Date.now() - 1000).toISOString();
    await hub.engine.backend.queue.enqueue([{ kind: 'tick', flow: 'nightly', at }]);
    await hub.engine.backend.queue.enqueue([{ kind: 'tick', flow: 'nightly', at }]);
    await new Promise((r) => setTimeout(r, 100));
    await hub.engine.backend.queue.enqueue([{ kind: 'tick', flow: 'nightly', at }]);
    const { runs } = await hub.engine.listRuns({ flow: 'nightly' });
    expect(runs).toHaveLength(1);
    await hub.engine.waitForRun(runs[0]!.id);
    expect(p.callsOf('nightly')).toHaveLength(1);
  });

  it('skips a tick missed while stopped unless the flow asks to catch up', async () => {
    const { hub } = await start([
      report('nightly', '0 2 * * *'),
      report('billing', '0 3 * * *', { catchUp: true }),
    ]);
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    await hub.engine.backend.queue.enqueue([
      { kind: 'tick', flow: 'nightly', at },
      { kind: 'tick', flow: 'billing', at },
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect((await hub.engine.listRuns({ flow: 'nightly' })).runs).toHaveLength(0);
    expect((await hub.engine.listRuns({ flow: 'billing' })).runs).toHaveLength(1);
  });
});
