import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren } from '../helpers/spawn-baton';
import { startVendor } from '../helpers/vendor';
import { dispatcher, faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';

/**
 * Workers killed with SIGKILL at the worst moments, with another worker
 * running: the run completes, steps whose results were recorded are not run
 * again, and an unrecorded step is re-sent with the same idempotency key,
 * so the vendor makes one charge and one shipment.
 */
describe('a worker killed mid-run', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof faultHub>>;
  let prefix: string;
  let side: Awaited<ReturnType<typeof dispatcher>> | undefined;

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await faultHub(vendor.url, [
      orderFlow('order', [
        {
          id: 'charge',
          action: 'vendor.charge',
          timeout: '60s',
          input: { amount: '{{ event.data.total }}' },
        },
        { id: 'ship', action: 'vendor.ship', input: { order: '{{ event.id }}' } },
      ]),
    ]);
  });
  afterEach(async () => {
    killChildren();
    await side?.close();
    await deleteKeys(prefix);
  });
  afterAll(async () => {
    await vendor.close();
    await hub.remove();
  });

  async function crashDuring(path: '/charges' | '/checkpoint') {
    prefix = uniquePrefix('crash');
    const env = workerEnv(redisUrl, prefix);
    const workers = await Promise.all([startWorker(hub.path, env), startWorker(hub.path, env)]);
    side = await dispatcher(hub.path, { url: redisUrl, prefix });
    const held = vendor.holdNext(path);
    const { runs } = await side.fire({ total: 42 });
    const runId = runs[0]!.runId;
    const request = await held;
    const victim = workers.find((w) => w.pid === request.pid)!;
    expect(victim).toBeDefined();
    victim.proc.kill('SIGKILL');
    await victim.exited;
    const run = await side.engine.waitForRun(runId, { timeoutMs: 45_000 });
    return { run, runId, survivor: workers.find((w) => w !== victim)! };
  }

  it('mid-step: the other worker re-sends the step with the same key; one charge, one shipment', async () => {
    const { run, runId, survivor } = await crashDuring('/charges');
    expect(run.status).toBe('succeeded');
    const key = `${runId}:charge`;
    const charges = vendor.requestsTo('/charges').filter((r) => r.key?.startsWith(runId));
    expect(charges.length).toBeGreaterThanOrEqual(2);
    expect(new Set(charges.map((r) => r.key))).toEqual(new Set([key]));
    expect(charges.at(-1)!.pid).toBe(survivor.pid);
    expect(vendor.effectsOn('/charges').filter((e) => e.key === key)).toHaveLength(1);
    expect(vendor.effectsOn('/shipments').filter((e) => e.key === `${runId}:ship`)).toHaveLength(1);
    expect(vendor.requestsTo('/shipments').filter((r) => r.key?.startsWith(runId))).toHaveLength(1);
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(run.steps[0]!.output).toMatchObject({ id: expect.stringMatching(/^charges_/) });
  });

  it('after the charge succeeded and before its result was recorded: one charge, same key on the re-send', async () => {
    const { run, runId } = await crashDuring('/checkpoint');
    expect(run.status).toBe('succeeded');
    const key = `${runId}:charge`;
    const charges = vendor.requestsTo('/charges').filter((r) => r.key?.startsWith(runId));
    expect(charges).toHaveLength(2);
    expect(charges.map((r) => r.key)).toEqual([key, key]);
    const made = vendor.effectsOn('/charges').filter((e) => e.key === key);
    expect(made).toHaveLength(1);
    // The recorded output is the vendor's first (and only) charge.
    expect(run.steps[0]!.output).toEqual(made[0]);
    expect(vendor.effectsOn('/shipments').filter((e) => e.key === `${runId}:ship`)).toHaveLength(1);
  });
});
