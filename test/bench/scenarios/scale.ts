import { freePort } from '../../helpers/free-port';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { CHAIN_EVENT } from '../lib/hub';
import { type Child, cpuOf, startBaton } from '../lib/proc';
import { median } from '../lib/stats';
import { stepsEnded } from '../lib/steps-ended';
import { CONCURRENCY } from '../lib/workers';
import { ensureWrk, type WrkRun, wrkLoad } from '../lib/wrk';

/** What one round of the fleet did while wrk drove both gateways. */
export interface ScaleRound {
  /** Webhooks accepted (2xx) per second, both gateways together. */
  webhooksPerS: number;
  /** Steps that ended per second, both workers together, over the same time. */
  stepsPerS: number;
  /** Per gateway: accepted per second, its p99 (ms), its CPU per webhook (µs). */
  gateways: Array<{ webhooksPerS: number; p99: number; cpuUsPerWebhook: number }>;
  /** Per worker: steps per second and its CPU per step (µs). */
  workers: Array<{ stepsPerS: number; cpuUsPerStep: number }>;
  /** Redis's CPU per unit of work (a webhook accepted or a step ended), in µs. */
  redisCpuUsPerUnit: number;
  /** Redis's CPU over the measured time, in % of one core. */
  redisCorePct: number;
  /** Everything's CPU (gateways, workers, Redis, wrk) over the measured time, in cores. */
  coresBusy: number;
}

/** Medians over the rounds. */
export interface ScaleResult {
  gateways: number;
  workers: number;
  connectionsPerGateway: number;
  durationS: number;
  webhooksPerS: number;
  stepsPerS: number;
  gatewayCpuUsPerWebhook: number;
  workerCpuUsPerStep: number;
  redisCpuUsPerUnit: number;
  redisCorePct: number;
  coresBusy: number;
  rounds: ScaleRound[];
}

const GATEWAYS = 2;
const WORKERS = 2;
const CONNECTIONS_PER_GATEWAY = 25;

/**
 * A fleet on one machine (report only, never asserted): two `baton serve
 * --no-worker` gateways and two `baton worker` processes on one Redis;
 * two wrk processes (25 connections each) post the five-step flow's event
 * to both gateways at once for a fixed time, after a warm-up. Webhooks
 * accepted come from wrk, steps ended from the workers' metrics; CPU from
 * each process's counters over the measured time. The workers fall behind
 * the gateways (a webhook brings five steps): what is measured is what
 * each kind of process does per unit of its work while all share the
 * cores. Skipped without wrk.
 */
export async function scaleScenario(ctx: BenchContext): Promise<ScaleResult | undefined> {
  if (!ensureWrk(ctx.log)) {
    ctx.log('scale: skipped, it needs wrk');
    return undefined;
  }
  const durationS = ctx.quick ? 3 : 5;
  const rounds: ScaleRound[] = [];
  for (let round = 1; round <= Math.min(ctx.rounds, 3); round++) {
    const r = await measure(ctx, durationS);
    rounds.push(r);
    ctx.log(
      `scale round ${round}: ${Math.round(r.webhooksPerS)} webhooks/s (${r.gateways.map((g) => `${Math.round(g.cpuUsPerWebhook)} µs`).join(', ')} gateway CPU per webhook), ` +
        `${Math.round(r.stepsPerS)} steps/s (${r.workers.map((w) => `${Math.round(w.cpuUsPerStep)} µs`).join(', ')} worker CPU per step), ` +
        `Redis ${Math.round(r.redisCpuUsPerUnit)} µs per webhook or step (${Math.round(r.redisCorePct)} % of a core), ${r.coresBusy.toFixed(2)} cores busy`,
    );
  }
  const mid = (pick: (r: ScaleRound) => number) => median(rounds.map(pick));
  return {
    gateways: GATEWAYS,
    workers: WORKERS,
    connectionsPerGateway: CONNECTIONS_PER_GATEWAY,
    durationS,
    webhooksPerS: mid((r) => r.webhooksPerS),
    stepsPerS: mid((r) => r.stepsPerS),
    gatewayCpuUsPerWebhook: median(rounds.flatMap((r) => r.gateways.map((g) => g.cpuUsPerWebhook))),
    workerCpuUsPerStep: median(rounds.flatMap((r) => r.workers.map((w) => w.cpuUsPerStep))),
    redisCpuUsPerUnit: mid((r) => r.redisCpuUsPerUnit),
    redisCorePct: mid((r) => r.redisCorePct),
    coresBusy: mid((r) => r.coresBusy),
    rounds,
  };
}

async function measure(ctx: BenchContext, durationS: number): Promise<ScaleRound> {
  const prefix = roundPrefix('scale');
  const env = {
    ...process.env,
    REDIS_URL: ctx.redis.url,
    BATON_REDIS_PREFIX: prefix,
    BATON_LOG_LEVEL: 'warn',
  };
  const options = { cwd: ctx.hub.path, env };
  const gateways: Array<{ child: Child; url: string }> = [];
  const workers: Array<{ child: Child; metrics: string }> = [];
  try {
    for (let i = 0; i < GATEWAYS; i++) {
      const port = await freePort();
      const args = ['serve', '--no-worker', '--port', String(port), '--config', ctx.hub.config];
      gateways.push({ child: startBaton(args, options), url: `http://127.0.0.1:${port}/webhooks/shop` });
    }
    for (let i = 0; i < WORKERS; i++) {
      const port = await freePort();
      const args = ['worker', '--concurrency', String(CONCURRENCY), '--port', String(port)];
      workers.push({
        child: startBaton([...args, '--config', ctx.hub.config], options),
        metrics: `http://127.0.0.1:${port}/metrics`,
      });
    }
    await Promise.all([
      ...gateways.map((g) => g.child.waitFor(/Baton listening on/)),
      ...workers.map((w) => w.child.waitFor(/worker started/)),
    ]);
    let before = await readCounters(ctx, gateways, workers);
    const runs: WrkRun[] = await wrkLoad({
      urls: gateways.map((g) => g.url),
      connections: CONNECTIONS_PER_GATEWAY,
      warmupS: 1,
      durationS,
      eventType: CHAIN_EVENT,
      bodyBytes: 1024,
      measuring: async () => {
        before = await readCounters(ctx, gateways, workers);
      },
    });
    const after = await readCounters(ctx, gateways, workers);
    const seconds = (after.at - before.at) / 1000;
    const accepted = runs.map((r) => r.requests - r.non2xx);
    const steps = after.steps.map((n, i) => n - before.steps[i]!);
    const totalSteps = steps.reduce((a, b) => a + b, 0);
    const totalAccepted = accepted.reduce((a, b) => a + b, 0);
    const spent = (pick: (c: Counters) => number[]) => pick(after).map((n, i) => n - pick(before)[i]!);
    const gatewayCpu = spent((c) => c.gatewayCpu);
    const workerCpu = spent((c) => c.workerCpu);
    const redisCpu = after.redisCpu - before.redisCpu;
    const wrkCpu = runs.reduce((sum, r) => sum + r.cpuUsPerRequest * r.requests, 0);
    const allCpu = [...gatewayCpu, ...workerCpu, redisCpu, wrkCpu].reduce((a, b) => a + b, 0);
    return {
      webhooksPerS: runs.reduce((sum, r) => sum + r.rps, 0),
      stepsPerS: totalSteps / seconds,
      gateways: runs.map((r, i) => ({
        webhooksPerS: r.rps,
        p99: r.p99,
        cpuUsPerWebhook: gatewayCpu[i]! / accepted[i]!,
      })),
      workers: steps.map((n, i) => ({ stepsPerS: n / seconds, cpuUsPerStep: workerCpu[i]! / n })),
      redisCpuUsPerUnit: redisCpu / (totalAccepted + totalSteps),
      redisCorePct: (100 * redisCpu) / (seconds * 1e6),
      coresBusy: allCpu / (seconds * 1e6),
    };
  } finally {
    await Promise.all([...gateways, ...workers].map(({ child }) => child.stop()));
    await deleteKeys(prefix, ctx.redis.url);
  }
}

interface Counters {
  /** performance.now() when read. */
  at: number;
  gatewayCpu: number[];
  workerCpu: number[];
  /** Steps ended in each worker (its `baton_step_duration_seconds` count). */
  steps: number[];
  redisCpu: number;
}

async function readCounters(
  ctx: BenchContext,
  gateways: ReadonlyArray<{ child: Child }>,
  workers: ReadonlyArray<{ child: Child; metrics: string }>,
): Promise<Counters> {
  const steps = await Promise.all(workers.map((w) => stepsEnded(w.metrics)));
  return {
    at: performance.now(),
    gatewayCpu: gateways.map((g) => cpuOf(g.child.pid)),
    workerCpu: workers.map((w) => cpuOf(w.child.pid)),
    steps,
    redisCpu: ctx.redis.pid ? cpuOf(ctx.redis.pid) : Number.NaN,
  };
}
