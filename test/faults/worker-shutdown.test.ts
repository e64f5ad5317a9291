import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton } from '../helpers/cli';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { startVendor } from '../helpers/vendor';
import { dispatcher, faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';

describe('baton worker', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof faultHub>>;
  const prefix = uniquePrefix('shutdown');

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await faultHub(vendor.url, [
      orderFlow('order', [
        { id: 'ship', action: 'vendor.ship', timeout: '60s', input: { n: '{{ event.data.n }}' } },
      ]),
    ]);
  });
  afterAll(async () => {
    killChildren();
    await deleteKeys(prefix);
    await vendor.close();
    await hub.remove();
  });

  it('needs REDIS_URL', async () => {
    const { REDIS_URL: _, ...env } = process.env;
    const result = await baton(['worker', '--port', '0'], hub.path, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error REDIS_URL_MISSING');
  });

  it('on SIGTERM finishes what it can, hands back what it cannot within --drain, and exits 0', async () => {
    const env = workerEnv(redisUrl, prefix);
    const leaving = spawnBaton(['worker', '--drain', '500', '--port', '0'], { cwd: hub.path, env });
    const [, pid] = await leaving.waitFor(/worker started \(pid (\d+)/, 60_000);
    const side = await dispatcher(hub.path, { url: redisUrl, prefix });
    try {
      const held = vendor.holdNext('/shipments');
      const { runs } = await side.fire({ n: 1 });
      expect((await held).pid).toBe(Number(pid));
      leaving.proc.kill('SIGTERM');
      expect(await leaving.exited).toBe(0);
      expect(leaving.output().stdout).toContain('stopped');

      // The step it handed back is taken by the next worker, with the same idempotency key.
      const staying = await startWorker(hub.path, env);
      const run = await side.engine.waitForRun(runs[0]!.runId, { timeoutMs: 30_000 });
      expect(run.status).toBe('succeeded');
      const sent = vendor.requestsTo('/shipments').filter((r) => r.key === `${runs[0]!.runId}:ship`);
      expect(sent.map((r) => r.pid)).toEqual([Number(pid), staying.pid]);
      expect(vendor.effectsOn('/shipments').filter((e) => e.key === `${runs[0]!.runId}:ship`)).toHaveLength(
        1,
      );
    } finally {
      await side.close();
    }
  });
});
