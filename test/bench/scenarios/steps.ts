import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { CHAIN_STEPS } from '../lib/hub';
import { JOB_OPTIONS } from '../lib/job-options';
import { type Child, runScript, startScript } from '../lib/proc';
import { median } from '../lib/stats';
import { batonWorkers, CONCURRENCY, cpuMeter, type RedisRound, until } from '../lib/workers';

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

export interface StepsResult {
  runs: { embedded: number; redis: number };
  concurrency: number;
  /**
   * `cpuUsPerStep` (the process's CPU, GC threads included, over every
   * measured run) is the goal's figure: another process on the machine
   * stretches the wall time, not the CPU (see notes.md, "Embedded steps").
   */
  embedded: Omit<StepsRow, 'workerCpuUs' | 'redisCpuUs'> & {
    usPerStep: number;
    cpuUsPerStep: number;
    /** Per round: wall and CPU µs per step. */
    usRounds: number[];
    cpuUsRounds: number[];
  };
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
  // 100 000 measured steps a round (about 1.5 s of CPU) after 2000 runs of warm-up (JIT, heap
  // grown to its working size): fewer swung the figure by ±40 % between rounds.
  const embeddedRuns = ctx.quick ? 3000 : 20_000;
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
        warmupRuns: 2000,
        concurrency: CONCURRENCY,
      }),
    ]);
    if (embedded.failed > 0) throw new Error(`${embedded.failed} embedded runs failed`);
    embeddedRounds.push(embedded);
    ctx.log(
      `steps round ${round} embedded: ${Math.round(embedded.stepsPerS)} steps/s, ` +
        `CPU ${embedded.cpuUsPerStep.toFixed(1)} µs/step, wall ${embedded.usPerStep.toFixed(1)} µs/step`,
    );
    for (const workers of [1, 2]) {
      const chain = await bullmqChain(ctx, workers, redisRuns);
      const ours = await batonWorkers(ctx, { workers, runs: redisRuns });
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
      usRounds: embeddedRounds.map((r) => r.usPerStep),
      cpuUsRounds: embeddedRounds.map((r) => r.cpuUsPerStep),
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
