import { defineAction, defineConnector } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backendPool } from '../backend/redis/_test-redis';
import type { RedisTaskQueue } from '../backend/redis/task-queue';
import { compileFlow } from '../compile/compile-flow';
import { type Flow, flowSchema } from '../flow/schema';
import { createEngine, type Engine } from './engine';

describe('Redis schedules', () => {
  const pool = backendPool('schedules');
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop({ drainMs: 1000 })));
    await pool.dispose();
  });

  function engineWith(backend: Awaited<ReturnType<typeof pool.open>>, seen: string[], flows: unknown[]) {
    const connector = defineConnector({
      name: 'probe',
      config: z.object({}),
      actions: {
        do: defineAction({
          input: z.object({ at: z.string() }),
          output: z.object({}),
          async run({ input }) {
            seen.push(input.at);
            return {};
          },
        }),
      },
    });
    const engine = createEngine({
      flows: flows.map((raw) => compileFlow(flowSchema.parse(raw) as Flow)),
      instances: new Map([['probe', createConnectorInstance(connector, {}, { name: 'probe' })]]),
      backend,
    });
    engines.push(engine);
    engine.startWorker({ concurrency: 4 });
    return engine;
  }

  const everySecond = {
    id: 'every-second',
    trigger: { schedule: '* * * * * *', timezone: 'Europe/Paris' },
    steps: [{ id: 'send', action: 'probe.do', input: { at: '{{ event.data.scheduledAt }}' } }],
  };

  it('fires each tick once with two engines on one prefix, and removes schedules of flows that are gone', async () => {
    const seen: string[] = [];
    const [a, b] = [await pool.open(), await pool.open()];
    const first = engineWith(a, seen, [everySecond]);
    const second = engineWith(b, seen, [everySecond]);
    await Promise.all([first.startSchedules(), second.startSchedules()]);
    const deadline = Date.now() + 8000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    for (const at of seen) expect(Date.parse(at) % 1000).toBe(0);
    const { runs } = await first.listRuns({ flow: 'every-second' });
    expect(new Set(runs.map((r) => r.eventId)).size).toBe(runs.length);

    const queue = (a.queue as RedisTaskQueue).queue;
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['schedule|every-second']);
    await a.schedules.sync([]);
    expect(await queue.getJobSchedulers()).toEqual([]);
  });
});
