import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBy, runHashesOnMasters } from '../helpers/cluster-runs';
import { startRedisCluster, type TestCluster } from '../helpers/redis-cluster';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';
import { startVendor, type VendorRequest } from '../helpers/vendor';
import { faultHub, orderFlow, startWorker, workerEnv } from './fault-hub';
import { signedWebhook } from './gateway-traffic';

/** The secret of faultHub's `shop` source. */
const SECRET = 'whsec_ZmF1bHQtdGVzdC1zZWNyZXQtMTIzNDU2';
const PREFIX = '{baton-ck}';
const PARTITIONS = 3;
const WEBHOOKS = 300;
const SENDERS = 5;
/** A sender's pause between webhooks: they keep coming (about 60 a second) while the worker dies. */
const PACE_MS = 80;
const WORKER_CONCURRENCY = 8;
/** The vendor paths the flow's steps call, one request per step attempt (charge also reports to /checkpoint). */
const STEP_PATHS = ['/work', '/charges', '/checkpoint', '/shipments'] as const;

/**
 * A hub spread over the three masters of a Redis Cluster
 * (BATON_REDIS_PARTITIONS=3): `baton serve --no-worker` takes signed
 * webhooks, two `baton worker` processes run their three-step runs, and one
 * worker is killed (SIGKILL) mid-way, with a charge of its in flight. The
 * survivor takes over every partition's work: each acknowledged webhook's
 * run succeeds, once (one run per webhook, one effect per step, a step
 * re-sent only when the dead worker had it in flight), and the runs sit on
 * all three partitions.
 */
describe('a worker killed on a partitioned Redis Cluster hub', () => {
  let cluster: TestCluster | undefined;
  let vendor: Awaited<ReturnType<typeof startVendor>> | undefined;
  let hub: Awaited<ReturnType<typeof faultHub>> | undefined;

  beforeAll(async () => {
    [cluster, vendor] = await Promise.all([startRedisCluster({ masters: 3 }), startVendor()]);
    // Slowish steps, so the victim holds several at once when it dies.
    vendor.delay('/work', 40);
    vendor.delay('/shipments', 20);
    hub = await faultHub(vendor.url, [
      orderFlow('order', [
        { id: 'work', action: 'vendor.work', input: { seq: '{{ event.data.data.seq }}' } },
        { id: 'charge', action: 'vendor.charge', input: { amount: '{{ event.data.data.seq }}' } },
        { id: 'ship', action: 'vendor.ship', input: { order: '{{ event.id }}' } },
      ]),
    ]);
  }, 60_000);
  // Clean-up that runs whatever failed: children first, they hold connections to the cluster.
  afterAll(async () => {
    killChildren();
    await Promise.allSettled([cluster?.stop(), vendor?.close(), hub?.remove()]);
  });

  it('runs every acknowledged webhook once, on all three partitions, after a worker dies', async () => {
    // The cluster's nodes instead of one server.
    const { REDIS_URL: _single, ...inherited } = workerEnv('', PREFIX);
    const env = {
      ...inherited,
      // A dead worker's steps are taken over in about two seconds; a busy live worker keeps its locks.
      BATON_LOCK_DURATION: '2s',
      BATON_STALLED_INTERVAL: '1s',
      REDIS_CLUSTER_NODES: cluster!.nodes.join(','),
      BATON_REDIS_PARTITIONS: String(PARTITIONS),
      BATON_API_TOKEN: '',
    };
    const serve = spawnBaton(['serve', '--no-worker', '--port', '0'], { cwd: hub!.path, env });
    const [base, workers] = await Promise.all([
      serve.waitFor(/Baton listening on (http:\/\/\S+)/, 60_000).then((match) => match[1]!),
      Promise.all([0, 1].map(() => startWorker(hub!.path, env, WORKER_CONCURRENCY))),
    ]);

    const accepted: string[] = [];
    const refused: string[] = [];
    let sent = 0;
    const sender = async (label: string) => {
      const webhook = signedWebhook('shop', SECRET, label);
      while (sent < WEBHOOKS) {
        sent++;
        const { path, init } = webhook.make();
        const answer = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
        const text = await answer.text();
        if (answer.status !== 202) refused.push(`${answer.status} ${text.slice(0, 200)}`);
        else
          accepted.push(...(JSON.parse(text) as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId));
        await new Promise((r) => setTimeout(r, PACE_MS));
      }
    };
    const sending = Promise.all(Array.from({ length: SENDERS }, (_, i) => sender(`s${i}`)));

    // Mid-way, hold a charge's answer (the vendor has made the charge) and kill the worker that sent it.
    await until(
      async () => (vendor!.requestsTo('/charges').length >= WEBHOOKS / 4 ? true : undefined),
      'a quarter of the charges were sent',
    );
    const held = await vendor!.holdNext('/charges');
    const victim = workers.find((w) => w.pid === held.pid);
    expect(victim, `the held charge came from pid ${held.pid}`).toBeDefined();
    victim!.proc.kill('SIGKILL');
    await victim!.exited;
    const survivor = workers.find((w) => w !== victim)!;
    await sending;
    expect(refused).toEqual([]);
    expect(accepted).toHaveLength(WEBHOOKS);
    expect(new Set(accepted).size).toBe(WEBHOOKS);

    let left: string[] = [];
    await until(
      async () => {
        left = [];
        for (const id of accepted) {
          const answer = await fetch(`${base}/api/runs/${id}`);
          const run = answer.status === 200 ? ((await answer.json()) as { status: string }) : undefined;
          if (answer.status !== 200) await answer.arrayBuffer();
          if (run?.status !== 'succeeded') left.push(`${id}: ${run?.status ?? answer.status}`);
        }
        return left.length === 0 ? true : undefined;
      },
      'every acknowledged run succeeded',
      { timeoutMs: 40_000, intervalMs: 500 },
    ).catch((error: Error) => {
      const warnings = survivor
        .output()
        .stdout.split('\n')
        .filter((line) => /"level":[45]0/.test(line));
      throw new Error(
        `${error.message}; ${left.length} left: ${left.slice(0, 5).join(', ')}\n${warnings.slice(-10).join('\n')}`,
      );
    });

    // One run per webhook in the hub's own list (every partition's runs, merged), each with its steps succeeded.
    const listed = await listRuns(base);
    expect(listed.filter((run) => run.status !== 'succeeded')).toEqual([]);
    expect(listed.map((run) => run.id).sort()).toEqual([...accepted].sort());
    const sample = (await (await fetch(`${base}/api/runs/${accepted[0]}`)).json()) as {
      steps: Array<{ status: string }>;
    };
    expect(sample.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    // One effect per run and step, under the step's idempotency key.
    const runs = new Set(accepted);
    for (const [path, step] of [
      ['/work', 'work'],
      ['/charges', 'charge'],
      ['/shipments', 'ship'],
    ] as const) {
      const keys = vendor!.effectsOn(path).map((e) => e.key);
      expect(new Set(keys).size, path).toBe(WEBHOOKS);
      expect(keys.filter((key) => !runs.has(key!.split(':')[0]!) || !key!.endsWith(`:${step}`))).toEqual([]);
    }
    // A step was sent again only when the dead worker had it in flight: every repeat follows a request
    // of the victim's, and there are no more than it had slots.
    const repeated = STEP_PATHS.flatMap((path) => repeats(vendor!.requestsTo(path)));
    expect(repeated.filter((r) => r.first.some((pid) => pid !== victim!.pid))).toEqual([]);
    expect(repeated.length).toBeLessThanOrEqual(WORKER_CONCURRENCY * 2);
    // The held charge was re-sent by the survivor with the same key.
    expect(
      vendor!
        .requestsTo('/charges')
        .filter((r) => r.key === held.key)
        .map((r) => r.pid),
    ).toEqual([victim!.pid, survivor.pid]);

    // Where the runs are: one run hash each, spread over every partition.
    const hashes = await runHashesOnMasters(cluster!.nodes);
    expect(hashes.map((h) => h.runId).sort()).toEqual([...accepted].sort());
    const perPartition = countBy(hashes, (h) => h.prefix);
    expect(perPartition.size, JSON.stringify([...perPartition])).toBe(PARTITIONS);
    for (const [partition, count] of perPartition)
      expect(count, `runs on ${partition}`).toBeGreaterThanOrEqual(WEBHOOKS / PARTITIONS / 4);
    // The partitions' tags fall into even thirds of the slots, as `redis-cli --cluster create` gives
    // each master: one partition on each.
    const perMaster = countBy(hashes, (h) => h.master);
    expect([...perMaster.keys()].sort(), JSON.stringify([...perMaster])).toEqual([0, 1, 2]);

    await serve.stop();
    await survivor.stop();
    expect(await serve.exited).toBe(0);
  }, 120_000);
});

/** Every run the hub lists, page by page. */
async function listRuns(base: string): Promise<Array<{ id: string; status: string }>> {
  const all: Array<{ id: string; status: string }> = [];
  let cursor: string | null = null;
  do {
    const answer = await fetch(`${base}/api/runs?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    expect(answer.status).toBe(200);
    const page = (await answer.json()) as {
      runs: Array<{ id: string; status: string }>;
      next: string | null;
    };
    all.push(...page.runs);
    cursor = page.next;
  } while (cursor);
  return all;
}

/** Idempotency keys requested more than once, with the pids of every request before the last. */
function repeats(requests: readonly VendorRequest[]) {
  const byKey = new Map<string, VendorRequest[]>();
  for (const request of requests) byKey.set(request.key!, [...(byKey.get(request.key!) ?? []), request]);
  return [...byKey]
    .filter(([, sent]) => sent.length > 1)
    .map(([key, sent]) => ({ key, first: sent.slice(0, -1).map((r) => r.pid) }));
}
