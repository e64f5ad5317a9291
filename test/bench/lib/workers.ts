import { createHubEngine, createRedisBackend, loadHub, type RedisBackend } from '@baton/runtime';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from './context';
import { CHAIN_EVENT, CHAIN_STEPS } from './hub';
import { type Child, cpuOf, sleep, startBaton } from './proc';

/** Steps run at once per worker process, Baton's default, for Baton and the baselines alike. */
export const CONCURRENCY = 16;

/** What one Redis target did in one round. */
export interface RedisRound {
  stepsPerS: number;
  /** CPU time per step of the worker processes together, and of Redis, in µs. */
  workerCpuUs: number;
  redisCpuUs: number;
}

/** Waits until `done()` reaches `target`, polling; returns when it did (ms, performance clock). */
export async function until(done: () => Promise<number>, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await done()) >= target) return performance.now();
    if (performance.now() > deadline)
      throw new Error(`only ${await done()} of ${target} done after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** CPU time of the worker processes and of Redis from now on, per step, once `steps` are done. */
export function cpuMeter(ctx: BenchContext, workers: readonly Child[]) {
  const read = () => ({
    workers: workers.reduce((sum, c) => sum + cpuOf(c.pid), 0),
    redis: ctx.redis.pid ? cpuOf(ctx.redis.pid) : Number.NaN,
  });
  const before = read();
  return (steps: number) => {
    const after = read();
    return {
      workerCpuUs: (after.workers - before.workers) / steps,
      redisCpuUs: (after.redis - before.redis) / steps,
    };
  };
}

export interface WorkersLoad {
  workers: number;
  runs: number;
  /** The hub the workers and the dispatcher load. @default ctx.hub */
  hub?: { path: string; config: string };
  /** The event each run starts on. @default CHAIN_EVENT (the five-step chain) */
  event?: string;
  /** Steps each run takes. @default CHAIN_STEPS */
  stepsPerRun?: number;
  /** How long the runs may take to succeed. @default 120 s */
  timeoutMs?: number;
  /** Names the round's Redis key prefix. @default 'steps' */
  label?: string;
  /** Reads what it needs of the runs once they all succeeded, before their keys are deleted. */
  inspect?: (backend: RedisBackend, runIds: readonly string[]) => Promise<void>;
}

/**
 * Baton on Redis with `workers` `baton worker` processes: `runs` events
 * dispatched at once from this process (as the gateway does, running no
 * steps itself), timed until every run succeeded.
 */
export async function batonWorkers(ctx: BenchContext, load: WorkersLoad): Promise<RedisRound> {
  const { path, config } = load.hub ?? ctx.hub;
  const { runs } = load;
  const steps = runs * (load.stepsPerRun ?? CHAIN_STEPS);
  const prefix = roundPrefix(load.label ?? 'steps');
  const env = {
    ...process.env,
    REDIS_URL: ctx.redis.url,
    BATON_REDIS_PREFIX: prefix,
    BATON_LOG_LEVEL: 'warn',
  };
  const children: Child[] = [];
  const hub = await loadHub({ configPath: config });
  const backend = await createRedisBackend({ url: ctx.redis.url, prefix });
  const engine = createHubEngine(hub, backend);
  try {
    for (let i = 0; i < load.workers; i++) {
      children.push(
        startBaton(['worker', '--concurrency', String(CONCURRENCY), '--config', config, '--port', '0'], {
          cwd: path,
          env,
        }),
      );
    }
    await Promise.all(children.map((c) => c.waitFor(/worker started/)));
    const cpu = cpuMeter(ctx, children);
    const started = performance.now();
    const time = new Date().toISOString();
    const runIds: string[] = [];
    for (let i = 0; i < runs; i += 200) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(200, runs - i) }, (_, j) =>
          engine.dispatch({
            specversion: '1.0',
            id: `evt-${i + j}`,
            source: 'shop',
            type: load.event ?? CHAIN_EVENT,
            time,
            data: { n: i + j },
          }),
        ),
      );
      if (load.inspect) runIds.push(...answers.flatMap((a) => a.runs.map((r) => r.runId)));
    }
    const ended = await until(
      async () => (await backend.runs.counts()).succeeded,
      runs,
      load.timeoutMs ?? 120_000,
    );
    const counts = await backend.runs.counts();
    if (counts.failed > 0) throw new Error(`${counts.failed} runs failed on Redis`);
    const measured = cpu(steps);
    await load.inspect?.(backend, runIds);
    return { stepsPerS: steps / ((ended - started) / 1000), ...measured };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await engine.stop({ drainMs: 0 });
    await backend.close();
    await deleteKeys(prefix, ctx.redis.url);
  }
}
