import { createHubEngine, createRedisBackend, loadHub } from '@baton/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { CHAIN_EVENT, CHAIN_STEPS } from '../lib/hub';
import { JOB_OPTIONS } from '../lib/job-options';
import { type Child, cpuOf, runScript, sleep, startBaton, startScript } from '../lib/proc';
import { median } from '../lib/stats';

/** Steps run at once per worker process, Baton's default, for Baton and the baseline alike. */
const CONCURRENCY = 16;

export interface StepsRow {
  target: string;
  workers: number;
  /** Steps per second, per round and their median. */
  rounds: number[];
  stepsPerS: number;
  /** CPU time per step of the worker processes together, and of Redis, in µs (medians). */
  workerCpuUs: number;
  redisCpuUs: number;
}

/** What one Redis target did in one round. */
interface RedisRound {
  stepsPerS: number;
  workerCpuUs: number;
  redisCpuUs: number;
}

export interface StepsResult {
  runs: { embedded: number; redis: number };
  concurrency: number;
  embedded: Omit<StepsRow, 'workerCpuUs' | 'redisCpuUs'> & { usPerStep: number; cpuUsPerStep: number };
  rows: StepsRow[];
  /** Baton on Redis / the BullMQ chain, by worker count (median of per-round ratios). */
  ratios: Record<string, number>;
}

/**
 * Five no-op steps per run, many runs in flight: embedded in one process;
 * on Redis with 1 and 2 `baton worker` processes against a raw BullMQ
 * chain with the same worker count and concurrency.
 */
export async function stepsScenario(ctx: BenchContext): Promise<StepsResult> {
  const embeddedRuns = ctx.quick ? 3000 : 10_000;
  const redisRuns = ctx.quick ? 600 : 2000;
  const embeddedRounds: Array<{ stepsPerS: number; usPerStep: number; cpuUsPerStep: number }> = [];
  const redisRounds = new Map<string, RedisRound[]>();
  const ratioRounds = new Map<string, number[]>();
  const record = <T>(map: Map<string, T[]>, key: string, value: T) =>
    map.set(key, [...(map.get(key) ?? []), value]);

  for (let round = 1; round <= ctx.rounds; round++) {
    const embedded = await runScript<{
      stepsPerS: number;
      usPerStep: number;
      cpuUsPerStep: number;
      failed: number;
    }>('children/embedded-steps.ts', [
      JSON.stringify({
        config: ctx.hub.config,
        runs: embeddedRuns,
        warmupRuns: 1000,
        concurrency: CONCURRENCY,
      }),
    ]);
    if (embedded.failed > 0) throw new Error(`${embedded.failed} embedded runs failed`);
    embeddedRounds.push(embedded);
    ctx.log(
      `steps round ${round} embedded: ${Math.round(embedded.stepsPerS)} steps/s, ${embedded.usPerStep.toFixed(1)} µs/step`,
    );
    for (const workers of [1, 2]) {
      const chain = await bullmqChain(ctx, workers, redisRuns);
      const ours = await batonWorkers(ctx, workers, redisRuns);
      record(redisRounds, `bullmq-${workers}`, chain);
      record(redisRounds, `baton-${workers}`, ours);
      record(ratioRounds, `${workers}`, ours.stepsPerS / chain.stepsPerS);
      const cpu = (r: RedisRound) =>
        `worker CPU ${Math.round(r.workerCpuUs)} µs/step, Redis ${Math.round(r.redisCpuUs)} µs/step`;
      ctx.log(
        `steps round ${round} ${workers} worker(s): BullMQ chain ${Math.round(chain.stepsPerS)} steps/s (${cpu(chain)}), ` +
          `Baton ${Math.round(ours.stepsPerS)} steps/s (${cpu(ours)}), ${(ours.stepsPerS / chain.stepsPerS).toFixed(2)}x`,
      );
    }
  }

  const row = (target: string, key: string, workers: number): StepsRow => {
    const rounds = redisRounds.get(key)!;
    return {
      target,
      workers,
      rounds: rounds.map((r) => r.stepsPerS),
      stepsPerS: median(rounds.map((r) => r.stepsPerS)),
      workerCpuUs: median(rounds.map((r) => r.workerCpuUs)),
      redisCpuUs: median(rounds.map((r) => r.redisCpuUs)),
    };
  };
  return {
    runs: { embedded: embeddedRuns, redis: redisRuns },
    concurrency: CONCURRENCY,
    embedded: {
      target: 'Baton embedded (in-process)',
      workers: 1,
      rounds: embeddedRounds.map((r) => r.stepsPerS),
      stepsPerS: median(embeddedRounds.map((r) => r.stepsPerS)),
      usPerStep: median(embeddedRounds.map((r) => r.usPerStep)),
      cpuUsPerStep: median(embeddedRounds.map((r) => r.cpuUsPerStep)),
    },
    rows: [
      row('BullMQ chain, 1 worker', 'bullmq-1', 1),
      row('Baton on Redis, 1 worker', 'baton-1', 1),
      row('BullMQ chain, 2 workers', 'bullmq-2', 2),
      row('Baton on Redis, 2 workers', 'baton-2', 2),
    ],
    ratios: Object.fromEntries(
      [...ratioRounds].map(([workers, values]) => [
        `${workers} worker${workers === '1' ? '' : 's'}`,
        median(values),
      ]),
    ),
  };
}

/** Waits until `done()` reaches `target`, polling; returns when it did (ms, performance clock). */
async function until(done: () => Promise<number>, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await done()) >= target) return performance.now();
    if (performance.now() > deadline)
      throw new Error(`only ${await done()} of ${target} done after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** CPU time of the worker processes and of Redis from now on, per step, once `steps` are done. */
function cpuMeter(ctx: BenchContext, workers: readonly Child[]) {
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

/** The raw BullMQ chain with `workers` processes. */
async function bullmqChain(ctx: BenchContext, workers: number, runs: number): Promise<RedisRound> {
  const prefix = roundPrefix('bullmq');
  const queueName = 'chain';
  const doneKey = `${prefix}:done`;
  const children: Child[] = [];
  const connection = new Redis(ctx.redis.url, { maxRetriesPerRequest: 0 });
  const counter = new Redis(ctx.redis.url);
  const queue = new Queue(queueName, { connection, prefix, defaultJobOptions: JOB_OPTIONS });
  try {
    for (let i = 0; i < workers; i++) {
      const child = startScript('children/bullmq-chain.ts', [
        JSON.stringify({
          url: ctx.redis.url,
          prefix,
          queue: queueName,
          concurrency: CONCURRENCY,
          steps: CHAIN_STEPS,
          doneKey,
        }),
      ]);
      children.push(child);
    }
    await Promise.all(children.map((c) => c.waitFor(/worker ready/)));
    const cpu = cpuMeter(ctx, children);
    const started = performance.now();
    for (let i = 0; i < runs; i += 500) {
      const batch = Array.from({ length: Math.min(500, runs - i) }, (_, j) => ({
        name: 'step',
        data: { run: i + j, step: 1 },
      }));
      await queue.addBulk(batch);
    }
    const ended = await until(async () => Number(await counter.get(doneKey)), runs, 120_000);
    return { stepsPerS: (runs * CHAIN_STEPS) / ((ended - started) / 1000), ...cpu(runs * CHAIN_STEPS) };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await queue.close();
    counter.disconnect();
    await deleteKeys(prefix, ctx.redis.url);
  }
}

/** Baton on Redis with `workers` `baton worker` processes. */
async function batonWorkers(ctx: BenchContext, workers: number, runs: number): Promise<RedisRound> {
  const prefix = roundPrefix('steps');
  const env = {
    ...process.env,
    REDIS_URL: ctx.redis.url,
    BATON_REDIS_PREFIX: prefix,
    BATON_LOG_LEVEL: 'warn',
  };
  const children: Child[] = [];
  const hub = await loadHub({ configPath: ctx.hub.config });
  const backend = await createRedisBackend({ url: ctx.redis.url, prefix });
  // Dispatches as the gateway does; runs no steps itself.
  const engine = createHubEngine(hub, backend);
  try {
    for (let i = 0; i < workers; i++) {
      children.push(
        startBaton(['worker', '--concurrency', String(CONCURRENCY), '--config', ctx.hub.config], {
          cwd: ctx.hub.path,
          env,
        }),
      );
    }
    await Promise.all(children.map((c) => c.waitFor(/worker started/)));
    const cpu = cpuMeter(ctx, children);
    const started = performance.now();
    const time = new Date().toISOString();
    for (let i = 0; i < runs; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, runs - i) }, (_, j) =>
          engine.dispatch({
            specversion: '1.0',
            id: `evt-${i + j}`,
            source: 'shop',
            type: CHAIN_EVENT,
            time,
            data: { n: i + j },
          }),
        ),
      );
    }
    const ended = await until(async () => (await backend.runs.counts()).succeeded, runs, 120_000);
    const counts = await backend.runs.counts();
    if (counts.failed > 0) throw new Error(`${counts.failed} runs failed on Redis`);
    return { stepsPerS: (runs * CHAIN_STEPS) / ((ended - started) / 1000), ...cpu(runs * CHAIN_STEPS) };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await engine.stop({ drainMs: 0 });
    await backend.close();
    await deleteKeys(prefix, ctx.redis.url);
  }
}
