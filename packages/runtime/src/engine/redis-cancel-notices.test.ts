import { defineAction, defineConnector } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backendPool } from '../backend/redis/_test-redis';
import { compileFlow } from '../compile/compile-flow';
import { type Flow, flowSchema } from '../flow/schema';
import { createEngine, type Engine } from './engine';

describe('Redis cancel notices', () => {
  const pool = backendPool('signals');
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop({ drainMs: 1000 })));
    await pool.dispose();
  });

  it('aborts the call in flight in the process running it when another process cancels the run', async () => {
    const calls: Array<{ aborted: boolean }> = [];
    const connector = defineConnector({
      name: 'slow',
      config: z.object({}),
      actions: {
        wait: defineAction({
          input: z.object({}),
          output: z.object({}),
          async run({ signal }) {
            const call = { aborted: false };
            calls.push(call);
            await new Promise<void>((resolve) =>
              signal.addEventListener('abort', () => resolve(), { once: true }),
            );
            call.aborted = true;
            throw signal.reason;
          },
        }),
      },
    });
    const flows = [
      compileFlow(
        flowSchema.parse({
          id: 'f',
          trigger: { source: 's', event: 'go' },
          steps: [{ id: 'hang', action: 'slow.wait', timeout: '30s', input: {} }],
        }) as Flow,
      ),
    ];
    const instances = new Map([['slow', createConnectorInstance(connector, {}, { name: 'slow' })]]);
    const worker = createEngine({ flows, instances, backend: await pool.open() });
    const api = createEngine({ flows, instances, backend: await pool.open() });
    engines.push(worker, api);
    worker.startWorker({ concurrency: 2 });
    const { runs } = await api.dispatch({
      specversion: '1.0',
      id: 'evt-cancel',
      source: 's',
      type: 'go',
      time: new Date().toISOString(),
      data: {},
    });
    const runId = runs[0]!.runId;
    for (let i = 0; i < 250 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    await api.cancel(runId, { actor: 'ops' });
    for (let i = 0; i < 100 && !calls[0]!.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(calls[0]!.aborted).toBe(true);
    const run = await worker.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect(run.steps[0]!.attempts[0]!.error).toMatchObject({ code: 'RUN_CANCELLED' });
  });
});
