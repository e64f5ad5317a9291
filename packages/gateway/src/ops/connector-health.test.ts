import { defineAction, defineConnector } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createConnectorHealth } from './connector-health';

describe('connector health checks', () => {
  it('fail with TIMEOUT when a check outlasts its time, even one that ignores its signal', async () => {
    let aborted = false;
    const connector = defineConnector({
      name: 'stuck',
      config: z.object({}),
      async check({ signal }) {
        signal.addEventListener('abort', () => (aborted = true));
        await new Promise(() => {});
      },
      actions: { noop: defineAction({ input: z.object({}), output: z.object({}), run: async () => ({}) }) },
    });
    const instances = new Map([['stuck', createConnectorInstance(connector, {}, { name: 'stuck' })]]);
    const health = createConnectorHealth({ instances, timeoutMs: 50 });
    const result = await health.check('stuck');
    expect(result).toMatchObject({ status: 'failing', cached: false, error: { code: 'TIMEOUT' } });
    expect(result.error?.message).toBe('the check of "stuck" took longer than 50 ms');
    expect(result.durationMs).toBeGreaterThanOrEqual(45);
    expect(aborted).toBe(true);
    expect(health.last('stuck')).toMatchObject({ status: 'failing' });
  });

  it('remembers a result for cacheMs', async () => {
    let now = 0;
    let calls = 0;
    const connector = defineConnector({
      name: 'counted',
      config: z.object({}),
      async check() {
        calls += 1;
      },
      actions: { noop: defineAction({ input: z.object({}), output: z.object({}), run: async () => ({}) }) },
    });
    const instances = new Map([['counted', createConnectorInstance(connector, {}, { name: 'counted' })]]);
    const health = createConnectorHealth({ instances, cacheMs: 1_000, now: () => now });
    expect((await health.check('counted')).cached).toBe(false);
    now = 999;
    expect((await health.check('counted')).cached).toBe(true);
    now = 1_000;
    expect((await health.check('counted')).cached).toBe(false);
    expect(calls).toBe(2);
    await expect(health.check('other')).rejects.toMatchObject({ code: 'CONNECTOR_NOT_FOUND' });
  });
});
