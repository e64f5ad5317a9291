import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedWebhook } from '../faults/gateway-traffic';
import { hubFolder } from '../helpers/cli';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';
import { startVendor, vendorConnectorModule } from '../helpers/vendor';

const SECRET = `whsec_${Buffer.from('replay-once-test-signing-key-77').toString('base64')}`;

interface RunBody {
  id: string;
  status: string;
  replayOf?: string;
  replayedBy?: string;
}

/**
 * Two `baton serve` processes on one Redis prefix, as two gateways behind
 * a load balancer: replays of one run sent to both at once start one run,
 * and the vendor sees one call for it.
 */
describe('POST /api/runs/:id/replay on two gateways sharing Redis', () => {
  const prefix = uniquePrefix('replay-once');
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof hubFolder>>;

  beforeAll(async () => {
    vendor = await startVendor();
    // A 400 is not retried: every run of the flow fails after one call.
    vendor.fail('/flaky', 400);
    hub = await hubFolder({
      'baton.config.json': {
        connectors: {
          vendor: { use: './vendor.mjs', config: { baseUrl: vendor.url }, egress: { allow: ['loopback'] } },
        },
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: SECRET } } },
      },
      'vendor.mjs': vendorConnectorModule,
      'flows/pay.json': {
        id: 'pay',
        trigger: { source: 'shop', event: 'order.created' },
        steps: [{ id: 'pay', action: 'vendor.flaky', retry: { maxAttempts: 1 }, input: {} }],
      },
    });
  });
  afterAll(async () => {
    killChildren();
    await vendor?.close();
    await hub?.remove();
    await deleteKeys(prefix);
  });

  it('answers every concurrent replay with the same new run, which calls the vendor once', async () => {
    const env = {
      ...process.env,
      REDIS_URL: redisUrl,
      BATON_REDIS_PREFIX: prefix,
      BATON_API_TOKEN: '',
      BATON_LOG_LEVEL: 'warn',
    };
    const gateways = [0, 1].map(() => spawnBaton(['serve', '--port', '0'], { cwd: hub.path, env }));
    const urls = await Promise.all(
      gateways.map(async (g) => (await g.waitFor(/Baton listening on (http:\/\/\S+)/, 60_000))[1]!),
    );

    const { path, init } = signedWebhook('shop', SECRET, 'replay-once').make();
    const accepted = await fetch(`${urls[0]}${path}`, init);
    expect(accepted.status).toBe(202);
    const originalId = ((await accepted.json()) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    const runOf = async (id: string) => (await (await fetch(`${urls[1]}/api/runs/${id}`)).json()) as RunBody;
    await until(
      async () => ((await runOf(originalId)).status === 'failed' ? true : undefined),
      'the run fails',
    );

    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const res = await fetch(`${urls[i % 2]}/api/runs/${originalId}/replay`, { method: 'POST' });
        return { status: res.status, body: (await res.json()) as { runId: string; duplicate?: boolean } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const runIds = new Set(answers.map((a) => a.body.runId));
    expect(runIds.size).toBe(1);
    expect(answers.filter((a) => a.body.duplicate !== true)).toHaveLength(1);
    const [replayId] = [...runIds] as [string];

    const replay = await until(async () => {
      const run = await runOf(replayId);
      return run.status === 'failed' ? run : undefined;
    }, 'the replay ends');
    expect(replay.replayOf).toBe(originalId);
    expect((await runOf(originalId)).replayedBy).toBe(replayId);
    const keys = vendor.requestsTo('/flaky').map((r) => r.key);
    expect(keys).toEqual([`${originalId}:pay`, `${replayId}:pay`]);

    // Once its replay ended, the run still names that replay rather than starting another.
    const later = await fetch(`${urls[1]}/api/runs/${originalId}/replay`, { method: 'POST' });
    expect(later.status).toBe(202);
    expect(await later.json()).toEqual({ runId: replayId, duplicate: true });
    expect(vendor.requestsTo('/flaky')).toHaveLength(2);
  }, 120_000);
});
