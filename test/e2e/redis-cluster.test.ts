import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedWebhook } from '../faults/gateway-traffic';
import { uniquePrefix } from '../helpers/redis';
import { deleteClusterKeys, useTestCluster } from '../helpers/redis-cluster';
import { reserveHub } from '../helpers/reserve-hub';
import { killChildren, spawnBuiltBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';

const SECRET = `whsec_${Buffer.from('redis-cluster-e2e-secret-0042').toString('base64')}`;

/**
 * The built `baton serve --no-worker` and `baton worker` on a Redis
 * Cluster (`REDIS_CLUSTER_NODES`, no `REDIS_URL`): a signed webhook is
 * acknowledged by the gateway and its run is taken and finished by the
 * worker; a malformed node list is refused at start with its code.
 */
describe('a hub on a Redis Cluster', () => {
  let cluster: Awaited<ReturnType<typeof useTestCluster>>;
  let hub: Awaited<ReturnType<typeof reserveHub>>;
  let env: NodeJS.ProcessEnv;
  const prefix = uniquePrefix('e2e-cluster');

  beforeAll(async () => {
    cluster = await useTestCluster();
    hub = await reserveHub(['stock', 'label'], {
      secret: SECRET,
      event: 'order.created',
      sku: '{{ event.data.data.seq }}',
    });
    const { REDIS_URL: _ignored, ...parent } = process.env;
    env = {
      ...parent,
      REDIS_CLUSTER_NODES: cluster.nodes.join(','),
      BATON_REDIS_PREFIX: prefix,
      BATON_API_TOKEN: '',
    };
  });
  afterAll(async () => {
    killChildren();
    await deleteClusterKeys(cluster.nodes, prefix);
    await cluster.release();
    await hub?.remove();
  });

  it('acknowledges a signed webhook at the gateway and runs it on a worker', async () => {
    const serve = spawnBuiltBaton(['serve', '--port', '0', '--no-worker'], { cwd: hub.path, env });
    const worker = spawnBuiltBaton(['worker', '--port', '0'], { cwd: hub.path, env });
    const base = (await serve.waitFor(/Baton listening on (http:\/\/\S+)/))[1]!;
    await worker.waitFor(/health and metrics: (http:\/\/\S+)\/healthz/);

    const { path, init } = signedWebhook('shop', SECRET, 'cluster').make();
    const answer = await fetch(`${base}${path}`, init);
    expect(answer.status).toBe(202);
    const runId = ((await answer.json()) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    const run = await until(async () => {
      const found = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as {
        status: string;
        steps: Array<{ id: string; status: string; output?: unknown }>;
      };
      return found.status === 'succeeded' ? found : undefined;
    }, `run ${runId} succeeded`).catch(async (error) => {
      const found = await (await fetch(`${base}/api/runs/${runId}`)).text();
      throw new Error(
        `${error.message}\n${found.slice(0, 800)}\nworker: ${worker.output().stdout.slice(-3000)}${worker.output().stderr.slice(-2000)}`,
      );
    });
    expect(run.steps.map((s) => [s.id, s.status, s.output])).toEqual([
      ['stock', 'succeeded', { id: 'res-1' }],
      ['label', 'succeeded', { id: 'res-1' }],
    ]);
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', backend: 'redis', durable: true },
    ]);

    await Promise.all([serve.stop(), worker.stop()]);
    expect([await serve.exited, await worker.exited]).toEqual([0, 0]);
    // Two processes to start and connect to every master, on a busy machine.
  }, 120_000);

  it('refuses a malformed node list, and REDIS_URL beside REDIS_CLUSTER_NODES, with REDIS_CLUSTER_NODES_INVALID', async () => {
    const malformed = spawnBuiltBaton(['worker', '--port', '0'], {
      cwd: hub.path,
      env: { ...env, REDIS_CLUSTER_NODES: `${cluster.nodes[0]},redis-7` },
    });
    expect(await malformed.exited).toBe(1);
    expect(malformed.output().stderr).toMatch(
      /REDIS_CLUSTER_NODES_INVALID[\s\S]*"redis-7", which is not host:port/,
    );

    const both = spawnBuiltBaton(['worker', '--port', '0'], {
      cwd: hub.path,
      env: { ...env, REDIS_URL: 'redis://127.0.0.1:6379' },
    });
    expect(await both.exited).toBe(1);
    expect(both.output().stderr).toMatch(/REDIS_URL and REDIS_CLUSTER_NODES are both set/);
  }, 60_000);
});
