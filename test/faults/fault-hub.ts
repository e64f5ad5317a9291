import { createHubEngine, createRedisBackend, type Engine, loadHub, type RedisBackend } from '@baton/runtime';
import { hubFolder } from '../helpers/cli';
import { testPartitions } from '../helpers/redis';
import { spawnBaton } from '../helpers/spawn-baton';
import { vendorConnectorModule } from '../helpers/vendor';

/** A flow that starts on `shop` `order.created` with the given steps. */
export function orderFlow(id: string, steps: object[]): object {
  return { id, trigger: { source: 'shop', event: 'order.created' }, steps };
}

/**
 * A hub folder whose `vendor` connector (and a `backup` instance of it)
 * calls the test's vendor server, with the given flows.
 */
export async function faultHub(vendorUrl: string, flows: object[], breaker?: object) {
  const instance = (extra: object = {}) => ({
    use: './vendor.mjs',
    config: { baseUrl: vendorUrl },
    egress: { allow: ['loopback'] },
    ...extra,
  });
  return hubFolder({
    'baton.config.json': {
      connectors: { vendor: instance(breaker ? { breaker } : {}), backup: instance() },
      sources: {
        shop: { verify: { scheme: 'standard-webhooks', secret: 'whsec_ZmF1bHQtdGVzdC1zZWNyZXQtMTIzNDU2' } },
      },
    },
    'vendor.mjs': vendorConnectorModule,
    ...Object.fromEntries(flows.map((flow) => [`flows/${(flow as { id: string }).id}.json`, flow])),
  });
}

/** Environment for worker processes on `redisUrl` under `prefix`, taking over a dead worker's steps in about a second. */
export function workerEnv(redisUrl: string, prefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: redisUrl,
    BATON_REDIS_PREFIX: prefix,
    BATON_LOCK_DURATION: '1s',
    BATON_STALLED_INTERVAL: '500ms',
    BATON_LOG_LEVEL: 'warn',
    ...(testPartitions ? { BATON_REDIS_PARTITIONS: String(testPartitions) } : {}),
  };
}

/** Starts `baton worker` as a child process and resolves once it runs, with its pid. */
export async function startWorker(hubPath: string, env: NodeJS.ProcessEnv, concurrency = 4) {
  const worker = spawnBaton(['worker', '--concurrency', String(concurrency), '--port', '0'], {
    cwd: hubPath,
    env,
  });
  const [, pid] = await worker.waitFor(/worker started \(pid (\d+)/, 60_000);
  return { ...worker, pid: Number(pid) };
}

/**
 * The acknowledging side, in the test process: an engine on the same
 * Redis and prefix that dispatches events (as the gateway does) and reads
 * runs, but runs no steps.
 */
export async function dispatcher(
  hubPath: string,
  options: { url: string; prefix: string; durability?: 'default' | 'strict' },
) {
  const hub = await loadHub({ configPath: `${hubPath}/baton.config.json`, conditions: ['@baton/source'] });
  const backend: RedisBackend = await createRedisBackend({
    url: options.url,
    prefix: options.prefix,
    ...(options.durability ? { durability: options.durability } : {}),
    ...(testPartitions ? { partitions: testPartitions } : {}),
  });
  const engine: Engine = createHubEngine(hub, backend);
  let seq = 0;
  return {
    engine,
    backend,
    /** Dispatches one `order.created` event; resolves once it is acknowledged. */
    fire(data: unknown = {}, id = `evt-${process.pid}-${Date.now()}-${++seq}`) {
      return engine.dispatch({
        specversion: '1.0',
        id,
        source: 'shop',
        type: 'order.created',
        time: new Date().toISOString(),
        data,
      });
    },
    async close() {
      await engine.stop({ drainMs: 0 });
      await backend.close();
    },
  };
}
