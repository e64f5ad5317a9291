// Not among the runtime's exports: the bench asks the runtime itself where partition p's keys go.
import { partitionPrefix } from '../../../packages/runtime/src/backend/redis/partitions';
import { freePort } from '../../helpers/free-port';
import { startRedisCluster, type TestCluster } from '../../helpers/redis-cluster';
import {
  closeMasters,
  flushMasters,
  homesOf,
  keysPerMaster,
  type Master,
  type MasterCounters,
  masterCounters,
  openMasters,
  placeSlot,
  type TagPlacement,
} from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { CHAIN_EVENT, CHAIN_STEPS } from '../lib/hub';
import { postSigned } from '../lib/post-signed';
import { type Child, cpuOf, sleep, startBaton, startScript } from '../lib/proc';
import { runTimes } from '../lib/run-times';
import { median, percentile } from '../lib/stats';
import { stepsEnded } from '../lib/steps-ended';
import { CONCURRENCY } from '../lib/workers';
import { type PartitionIngestRow, partitionIngestScenario } from './partition-ingest';

/**
 * How the partitions' hash tags sit on the masters: `spread`, where the
 * Cluster's even slot ranges put them (the runtime picks tags that fall
 * one per range); `together`, every partition moved to partition 0's
 * master (a control: what partitioning costs without spreading).
 */
export type PartitionsLayout = 'spread' | 'together';

/**
 * What one hub did in one round's fixed-rate phase: the same offered load
 * for every setup, below what any of them can take, so each master batches
 * as much (or as little) per wake-up as the load gives it, not as much as
 * a backlog would.
 */
export interface FixedRateRound {
  /** Webhooks accepted per second of the phase (the fixed rate, when all went well). */
  webhooksPerS: number;
  /** Steps ended per second, from the first webhook sent to the last step ended (the tail included). */
  stepsPerS: number;
  /** Every master's CPU together, per step ended (µs); the webhooks' ingest is in it. */
  redisCpuUsPerStep: number;
  /** Each master's CPU per step (µs), masters in partition order. */
  masterCpuUsPerStep: number[];
  /** Each master's share of Redis's CPU, in %, masters in partition order. */
  masterSharePct: number[];
  /** Every master's CPU together, in % of one core over the phase. */
  redisCorePct: number;
  /** Commands every master processed together, per step ended. */
  redisCommandsPerStep: number;
  /** Socket read events every master handled together, per step ended. */
  redisReadsPerStep: number;
  /** Time per script run (INFO commandstats), in µs: with commands and reads per step alike, says whether the scripts or the rest cost more. */
  redisScriptUsPerCall: number;
  /** Both workers' CPU together, per step (µs). */
  workerCpuUsPerStep: number;
  /** The gateway's CPU per webhook accepted (µs). */
  gatewayCpuUsPerWebhook: number;
  /** Webhook sent → run ended (the run's record, via the gateway's API), in ms. */
  p50Ms: number;
  p99Ms: number;
  /** Webhooks not accepted. */
  failed: number;
}

/** Medians over the rounds of the fixed-rate phase for one setup (shares and per-master figures master by master). */
export type FixedRateRow = Omit<FixedRateRound, 'failed'>;

/** What one hub did on the Cluster in one round, with one setup. */
export interface PartitionsRound {
  partitions: number;
  layout: PartitionsLayout;
  /** Steps ended per second, from the first measured webhook sent to the last step ended. */
  stepsPerS: number;
  /** Every master's CPU together, per step ended (µs); the webhooks' ingest is in it. */
  redisCpuUsPerStep: number;
  /** Each master's share of that CPU, in %, masters in partition order. */
  masterSharePct: number[];
  /** Commands every master processed together, per step ended. */
  redisCommandsPerStep: number;
  /** Time per script run (EVALSHA and the like, INFO commandstats), in µs: what a command costs once Redis runs it. */
  redisScriptUsPerCall: number;
  /** The scripts' part of Redis's CPU, in %: the rest is reading, writing, other commands and the event loop. */
  redisScriptPct: number;
  /** Socket read events every master handled together, per step ended (fewer commands per read, more wake-ups). */
  redisReadsPerStep: number;
  /** The kernel's part of Redis's CPU, in %. */
  redisSysPct: number;
  /**
   * Every master's CPU together while the hub sat idle (processes warm,
   * nothing sent), in % of one core: the polling and checks of the
   * processes' connections, and the Cluster's own upkeep.
   */
  idleRedisCorePct: number;
  /** Keys each master held once the round's runs were done, masters in partition order. */
  masterKeys: number[];
  /** Both workers' CPU together, per step (µs). */
  workerCpuUsPerStep: number;
  /** The gateway's CPU per webhook accepted (µs). */
  gatewayCpuUsPerWebhook: number;
  /** Webhooks not accepted (non-2xx or a socket error). */
  failed: number;
  /** The fixed-rate phase, after the saturation batch, on the same processes. */
  fixedRate: FixedRateRound;
}

/** Medians over the rounds for one setup (shares master by master), with the rounds themselves. */
export interface PartitionsRow extends Omit<PartitionsRound, 'masterKeys' | 'failed' | 'fixedRate'> {
  fixedRate: FixedRateRow;
  rounds: PartitionsRound[];
}

export interface PartitionsResult {
  masters: number;
  workers: number;
  concurrency: number;
  /** Runs (five steps each) measured per round and partition count, after `warmupRuns`. */
  runs: number;
  warmupRuns: number;
  /** Which master serves which partition's hash tag when spread (masters are numbered by the partitions they serve). */
  placement: TagPlacement[];
  /** One row per setup: 1 partition; 3 together on one master; 3 spread, one per master. */
  rows: PartitionsRow[];
  /** Redis CPU per step with 3 partitions spread / with 1, the median of per-round ratios. */
  redisCpuRatio: number;
  /** The same with the 3 partitions together on one master: partitioning's cost without the spreading. */
  togetherRatio: number;
  /** The fixed-rate phase: webhooks per second (five steps each) and for how long. */
  fixedRate: { webhooksPerS: number; durationS: number };
  /** `redisCpuRatio` and `togetherRatio` in the fixed-rate phase: per-step cost at the same offered load. */
  fixedRedisCpuRatio: number;
  fixedTogetherRatio: number;
  /** What ingest costs when part of an event lives in another partition. */
  ingest?: PartitionIngestRow[];
}

const MASTERS = 3;
const WORKERS = 2;
interface Setup {
  partitions: number;
  layout: PartitionsLayout;
}
const ONE: Setup = { partitions: 1, layout: 'spread' };
const TOGETHER: Setup = { partitions: MASTERS, layout: 'together' };
const SPREAD: Setup = { partitions: MASTERS, layout: 'spread' };
/** In the table's order. */
const SETUPS = [ONE, TOGETHER, SPREAD];
const setupName = (s: Setup) =>
  s.partitions === 1
    ? '1 partition'
    : `${s.partitions} partitions ${s.layout === 'spread' ? 'spread' : 'on one master'}`;
/** Webhooks in flight at once from the bench: enough to keep the gateway busy, few enough to leave it cores. */
const IN_FLIGHT = 16;
/** How long the hub sits idle before the measured batch, to see what it costs Redis doing nothing. */
const IDLE_MS = 2000;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
/**
 * The fixed-rate phase's arrival rate, in webhooks per second: 150 five-step
 * runs are 750 steps/s, under half of what this machine reaches with three
 * partitions spread at saturation (about 1 700 steps/s), so every setup
 * keeps up and the masters see the same offered load whatever the
 * partitions. Saturation compares setups that batch differently (one
 * master with a backlog serves many clients per wake-up, three masters
 * with a third of it each serve fewer); this rate does not.
 */
export const FIXED_RATE = 150;
/** How long the fixed rate is held, in s (`--quick`: shorter). */
const FIXED_RATE_S = 10;
const FIXED_RATE_QUICK_S = 5;
/** Time the fixed-rate sender has to start (tsx) before its first request is due. */
const SENDER_START_MS = 3000;
/** Runs whose records are read at once for the latencies, after the phase's counters are taken. */
const RECORD_READS = 16;
/** The hub's key prefix (BATON_REDIS_PREFIX unset): the Cluster is the bench's own, emptied before each setup. */
const PREFIX = '{baton}';

/**
 * Issue 22, Redis Cluster sharding (report only, never asserted): a
 * Cluster of three masters of the bench's own; a gateway (`baton serve
 * --no-worker`) and two `baton worker` processes with
 * `BATON_REDIS_PARTITIONS=1`, with `=3` and the partitions' hash tags all
 * on one master (a control), and with `=3` and each tag on a master of
 * its own, on the Cluster emptied before each. The bench posts signed
 * webhooks of the five-step flow: a warm-up batch, run to its end, two
 * seconds idle (what the hub costs Redis doing nothing), then a measured
 * batch, timed from its first post to its last step ended (the workers'
 * `/metrics`). Redis CPU is each master's INFO cpu over the measured
 * batch. Then, on the same processes, a fixed-rate phase: FIXED_RATE
 * webhooks a second for a few seconds, measured from the first request
 * due to the last step ended, with each run's time from webhook sent to
 * run ended (its record); the per-step figures there compare setups at
 * the same offered load. Skipped when no Cluster can be started.
 */
export async function partitionsScenario(ctx: BenchContext): Promise<PartitionsResult | undefined> {
  let cluster: TestCluster;
  try {
    cluster = await startRedisCluster({ masters: MASTERS });
  } catch (error) {
    ctx.log(`partitions: skipped, no Redis Cluster could be started: ${(error as Error).message}`);
    return undefined;
  }
  const runs = ctx.quick ? 500 : 2000;
  const warmupRuns = ctx.quick ? 150 : 400;
  const fixedRateS = ctx.quick ? FIXED_RATE_QUICK_S : FIXED_RATE_S;
  let masters: Master[] = [];
  try {
    masters = await openMasters(cluster.nodes);
    const spread = Math.max(...SETUPS.map((s) => s.partitions));
    const tags = Array.from({ length: spread }, (_, p) => partitionPrefix(PREFIX, p, spread));
    const placed = await homesOf(masters, tags);
    masters = placed.ordered;
    ctx.log(
      `partitions: Cluster of ${masters.length} masters; ${placed.placement
        .map((p) => `${p.tag} (slot ${p.slot}) on master ${p.master + 1} (${masters[p.master]!.node})`)
        .join(', ')}`,
    );
    if (new Set(placed.placement.map((p) => p.master)).size < tags.length)
      ctx.log('partitions: some masters serve more than one partition: the shares show it');
    const bySetup = new Map<Setup, PartitionsRound[]>();
    const ratios: number[] = [];
    const togetherRatios: number[] = [];
    const fixedRatios: number[] = [];
    const fixedTogetherRatios: number[] = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      // Alternate the order, so a machine warming up or slowing down favours none.
      const order = round % 2 === 1 ? SETUPS : [...SETUPS].reverse();
      for (const setup of order) {
        await flushMasters(masters);
        // Each tag where the Cluster's slot ranges put it, or all on partition 0's master (slots move only while empty).
        for (const { slot, master } of placed.placement)
          await placeSlot(masters, slot, masters[setup.layout === 'spread' ? master : 0]!);
        const r = await measure(ctx, cluster.nodes, masters, { ...setup, runs, warmupRuns, fixedRateS });
        bySetup.set(setup, [...(bySetup.get(setup) ?? []), r]);
        ctx.log(
          `partitions round ${round}, ${setupName(setup)}: ${Math.round(r.stepsPerS)} steps/s, ` +
            `Redis ${Math.round(r.redisCpuUsPerStep)} µs/step (masters ${r.masterSharePct.map((s) => `${Math.round(s)} %`).join(' / ')}; ` +
            `keys ${r.masterKeys.join(' / ')}; ${r.redisCommandsPerStep.toFixed(1)} commands, scripts ${Math.round(r.redisScriptUsPerCall)} µs a run and ${Math.round(r.redisScriptPct)} % of the CPU, ${r.redisReadsPerStep.toFixed(1)} socket reads per step, ${Math.round(r.redisSysPct)} % in the kernel), worker ${Math.round(r.workerCpuUsPerStep)} µs/step, gateway ${Math.round(r.gatewayCpuUsPerWebhook)} µs/webhook` +
            (r.failed > 0 ? `, ${r.failed} webhooks not accepted` : ''),
        );
        const f = r.fixedRate;
        ctx.log(
          `partitions round ${round}, ${setupName(setup)} at ${FIXED_RATE} webhooks/s: ${Math.round(f.webhooksPerS)} webhooks/s, ${Math.round(f.stepsPerS)} steps/s, ` +
            `Redis ${Math.round(f.redisCpuUsPerStep)} µs/step (masters ${f.masterCpuUsPerStep.map((us) => Math.round(us)).join(' / ')} µs, ${f.masterSharePct.map((s) => `${Math.round(s)} %`).join(' / ')}; ` +
            `${Math.round(f.redisCorePct)} % of a core; ${f.redisCommandsPerStep.toFixed(1)} commands, ${f.redisReadsPerStep.toFixed(1)} socket reads per step, scripts ${Math.round(f.redisScriptUsPerCall)} µs a run), ` +
            `worker ${Math.round(f.workerCpuUsPerStep)} µs/step, gateway ${Math.round(f.gatewayCpuUsPerWebhook)} µs/webhook, sent → ended p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms` +
            (f.failed > 0 ? `, ${f.failed} webhooks not accepted` : ''),
        );
      }
      const last = (setup: Setup) => bySetup.get(setup)!.at(-1)!;
      const cost = (setup: Setup) => last(setup).redisCpuUsPerStep;
      ratios.push(cost(SPREAD) / cost(ONE));
      togetherRatios.push(cost(TOGETHER) / cost(ONE));
      const fixedCost = (setup: Setup) => last(setup).fixedRate.redisCpuUsPerStep;
      fixedRatios.push(fixedCost(SPREAD) / fixedCost(ONE));
      fixedTogetherRatios.push(fixedCost(TOGETHER) / fixedCost(ONE));
    }
    // The ingest measurement's own hub: its partitions' tags where the Cluster's slot ranges put them.
    await flushMasters(masters);
    for (const { slot, master } of placed.placement) await placeSlot(masters, slot, masters[master]!);
    const ingest = await partitionIngestScenario(ctx, cluster.nodes, masters);
    return {
      ingest,
      masters: masters.length,
      workers: WORKERS,
      concurrency: CONCURRENCY,
      runs,
      warmupRuns,
      placement: placed.placement,
      rows: SETUPS.map((setup) => row(setup, bySetup.get(setup)!)),
      redisCpuRatio: median(ratios),
      togetherRatio: median(togetherRatios),
      fixedRate: { webhooksPerS: FIXED_RATE, durationS: fixedRateS },
      fixedRedisCpuRatio: median(fixedRatios),
      fixedTogetherRatio: median(fixedTogetherRatios),
    };
  } finally {
    closeMasters(masters);
    await cluster.stop();
  }
}

function row(setup: Setup, rounds: PartitionsRound[]): PartitionsRow {
  const mid = (pick: (r: PartitionsRound) => number) => median(rounds.map(pick));
  return {
    ...setup,
    stepsPerS: mid((r) => r.stepsPerS),
    redisCpuUsPerStep: mid((r) => r.redisCpuUsPerStep),
    masterSharePct: rounds[0]!.masterSharePct.map((_, i) => mid((r) => r.masterSharePct[i]!)),
    redisCommandsPerStep: mid((r) => r.redisCommandsPerStep),
    redisScriptUsPerCall: mid((r) => r.redisScriptUsPerCall),
    redisScriptPct: mid((r) => r.redisScriptPct),
    redisReadsPerStep: mid((r) => r.redisReadsPerStep),
    redisSysPct: mid((r) => r.redisSysPct),
    idleRedisCorePct: mid((r) => r.idleRedisCorePct),
    workerCpuUsPerStep: mid((r) => r.workerCpuUsPerStep),
    gatewayCpuUsPerWebhook: mid((r) => r.gatewayCpuUsPerWebhook),
    fixedRate: fixedRow(rounds.map((r) => r.fixedRate)),
    rounds,
  };
}

function fixedRow(rounds: readonly FixedRateRound[]): FixedRateRow {
  const mid = (pick: (r: FixedRateRound) => number) => median(rounds.map(pick));
  const perMaster = (pick: (r: FixedRateRound) => number[]) =>
    pick(rounds[0]!).map((_, i) => mid((r) => pick(r)[i]!));
  return {
    webhooksPerS: mid((r) => r.webhooksPerS),
    stepsPerS: mid((r) => r.stepsPerS),
    redisCpuUsPerStep: mid((r) => r.redisCpuUsPerStep),
    masterCpuUsPerStep: perMaster((r) => r.masterCpuUsPerStep),
    masterSharePct: perMaster((r) => r.masterSharePct),
    redisCorePct: mid((r) => r.redisCorePct),
    redisCommandsPerStep: mid((r) => r.redisCommandsPerStep),
    redisReadsPerStep: mid((r) => r.redisReadsPerStep),
    redisScriptUsPerCall: mid((r) => r.redisScriptUsPerCall),
    workerCpuUsPerStep: mid((r) => r.workerCpuUsPerStep),
    gatewayCpuUsPerWebhook: mid((r) => r.gatewayCpuUsPerWebhook),
    p50Ms: mid((r) => r.p50Ms),
    p99Ms: mid((r) => r.p99Ms),
  };
}

async function measure(
  ctx: BenchContext,
  nodes: readonly string[],
  masters: readonly Master[],
  load: {
    partitions: number;
    layout: PartitionsLayout;
    runs: number;
    warmupRuns: number;
    fixedRateS: number;
  },
): Promise<PartitionsRound> {
  // REDIS_URL and REDIS_CLUSTER_NODES both set is refused: the hub runs on the Cluster alone.
  const { REDIS_URL: _url, BATON_REDIS_PREFIX: _prefix, ...inherited } = process.env;
  const env = {
    ...inherited,
    REDIS_CLUSTER_NODES: nodes.join(','),
    BATON_REDIS_PARTITIONS: String(load.partitions),
    BATON_LOG_LEVEL: 'warn',
  };
  const options = { cwd: ctx.hub.path, env };
  const children: Child[] = [];
  try {
    const gatewayPort = await freePort();
    const gateway = startBaton(
      ['serve', '--no-worker', '--port', String(gatewayPort), '--config', ctx.hub.config],
      options,
    );
    children.push(gateway);
    const workers: Array<{ child: Child; metrics: string }> = [];
    for (let i = 0; i < WORKERS; i++) {
      const port = await freePort();
      const args = [
        'worker',
        '--concurrency',
        String(CONCURRENCY),
        '--port',
        String(port),
        '--config',
        ctx.hub.config,
      ];
      const child = startBaton(args, options);
      children.push(child);
      workers.push({ child, metrics: `http://127.0.0.1:${port}/metrics` });
    }
    await Promise.all([
      gateway.waitFor(/Baton listening on/),
      ...workers.map((w) => w.child.waitFor(/worker started/)),
    ]);
    const api = `http://127.0.0.1:${gatewayPort}`;
    const url = `${api}/webhooks/shop`;
    const send = (count: number) =>
      postSigned({ url, count, inFlight: IN_FLIGHT, eventType: CHAIN_EVENT, bodyBytes: 1024 });
    const fleetStepsEnded = async () =>
      (await Promise.all(workers.map((w) => stepsEnded(w.metrics)))).reduce((a, b) => a + b, 0);
    const drained = async (target: number) => {
      const deadline = performance.now() + 180_000;
      for (;;) {
        const ended = await fleetStepsEnded();
        if (ended >= target) return performance.now();
        if (performance.now() > deadline)
          throw new Error(`only ${ended} of ${target} steps ended after 180 s`);
        await sleep(25);
      }
    };

    // The warm-up brings every process to its working state (JIT, connections, scripts loaded).
    const warmup = await send(load.warmupRuns);
    await drained(warmup.accepted * CHAIN_STEPS);
    const idleStart = await counters(masters, gateway, workers);
    const idleFrom = performance.now();
    await sleep(IDLE_MS);
    const idle = await counters(masters, gateway, workers);
    const idleRedisCorePct =
      (100 * sum(idle.masters.map((m, i) => m.cpuUs - idleStart.masters[i]!.cpuUs))) /
      ((performance.now() - idleFrom) * 1000);
    const base = await fleetStepsEnded();
    const before = await counters(masters, gateway, workers);
    const started = performance.now();
    const sent = await send(load.runs);
    const steps = sent.accepted * CHAIN_STEPS;
    const ended = await drained(base + steps);
    const after = await counters(masters, gateway, workers);
    const { redisCpu, redisTotal, spent } = between(before, after);
    const saturation = {
      partitions: load.partitions,
      layout: load.layout,
      stepsPerS: steps / ((ended - started) / 1000),
      redisCpuUsPerStep: redisTotal / steps,
      masterSharePct: redisCpu.map((us) => (100 * us) / redisTotal),
      redisCommandsPerStep: spent((m) => m.commands) / steps,
      redisScriptUsPerCall: spent((m) => m.scriptUs) / spent((m) => m.scriptCalls),
      redisScriptPct: (100 * spent((m) => m.scriptUs)) / redisTotal,
      redisReadsPerStep: spent((m) => m.reads) / steps,
      redisSysPct: (100 * spent((m) => m.sysUs)) / redisTotal,
      idleRedisCorePct,
      masterKeys: await keysPerMaster(masters),
      workerCpuUsPerStep: (after.workers - before.workers) / steps,
      gatewayCpuUsPerWebhook: (after.gateway - before.gateway) / sent.accepted,
      failed: warmup.failed + sent.failed,
    };

    // The same processes, warm from the batch, at the fixed rate.
    const fixedBase = await fleetStepsEnded();
    const startAt = Date.now() + SENDER_START_MS;
    const sender = startScript('children/steady-load.ts', [
      JSON.stringify({
        url,
        rate: FIXED_RATE,
        durationS: load.fixedRateS,
        eventType: CHAIN_EVENT,
        bodyBytes: 1024,
        startAt,
      }),
    ]);
    children.push(sender);
    await sender.waitFor(/^ready$/m);
    const early = startAt - Date.now();
    if (early < 20)
      throw new Error(
        `the fixed-rate sender was ready ${early} ms before its first request was due: raise SENDER_START_MS`,
      );
    // Counters read just before the first request is due: the sender's start-up is not in the phase.
    await sleep(early - 15);
    const fixedBefore = await counters(masters, gateway, workers);
    const fixedStarted = performance.now();
    const code = await sender.exited;
    if (code !== 0)
      throw new Error(`the fixed-rate sender exited with ${code}:\n${sender.output().stderr.slice(-4000)}`);
    const fixedLoad = JSON.parse(sender.output().stdout.trim().split('\n').pop() ?? '') as {
      sent: Array<[number, string]>;
      failed: number;
    };
    const fixedSteps = fixedLoad.sent.length * CHAIN_STEPS;
    const fixedEnded = await drained(fixedBase + fixedSteps);
    const fixedAfter = await counters(masters, gateway, workers);
    const fixed = between(fixedBefore, fixedAfter);
    // Read after the counters: the runs' records cost Redis too.
    const latencies = await runLatencies(api, fixedLoad.sent);
    return {
      ...saturation,
      fixedRate: {
        webhooksPerS: fixedLoad.sent.length / load.fixedRateS,
        stepsPerS: fixedSteps / ((fixedEnded - fixedStarted) / 1000),
        redisCpuUsPerStep: fixed.redisTotal / fixedSteps,
        masterCpuUsPerStep: fixed.redisCpu.map((us) => us / fixedSteps),
        masterSharePct: fixed.redisCpu.map((us) => (100 * us) / fixed.redisTotal),
        redisCorePct: (100 * fixed.redisTotal) / ((fixedEnded - fixedStarted) * 1000),
        redisCommandsPerStep: fixed.spent((m) => m.commands) / fixedSteps,
        redisReadsPerStep: fixed.spent((m) => m.reads) / fixedSteps,
        redisScriptUsPerCall: fixed.spent((m) => m.scriptUs) / fixed.spent((m) => m.scriptCalls),
        workerCpuUsPerStep: (fixedAfter.workers - fixedBefore.workers) / fixedSteps,
        gatewayCpuUsPerWebhook: (fixedAfter.gateway - fixedBefore.gateway) / fixedLoad.sent.length,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        failed: fixedLoad.failed,
      },
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

/** What every master spent between two readings: each one's CPU (µs), all of it, and any counter summed. */
function between(
  before: { masters: MasterCounters[] },
  after: { masters: MasterCounters[] },
): { redisCpu: number[]; redisTotal: number; spent: (pick: (m: MasterCounters) => number) => number } {
  const redisCpu = after.masters.map((m, i) => m.cpuUs - before.masters[i]!.cpuUs);
  return {
    redisCpu,
    redisTotal: sum(redisCpu),
    spent: (pick) => sum(after.masters.map((m, i) => pick(m) - pick(before.masters[i]!))),
  };
}

/** Webhook sent → run ended (ms) for each run the sender started, from the runs' records, RECORD_READS at a time. */
async function runLatencies(api: string, sent: ReadonlyArray<[number, string]>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < sent.length) {
      const [sentAt, runId] = sent[next++]!;
      latencies.push((await runTimes(`${api}/api/runs/${runId}`)).endedAt - sentAt);
    }
  };
  await Promise.all(Array.from({ length: RECORD_READS }, lane));
  return latencies;
}

/** CPU so far (µs) and commands of each master, in the masters' order; CPU of the gateway and of the workers together. */
async function counters(
  masters: readonly Master[],
  gateway: Child,
  workers: ReadonlyArray<{ child: Child }>,
): Promise<{ masters: MasterCounters[]; gateway: number; workers: number }> {
  return {
    masters: await Promise.all(masters.map(masterCounters)),
    gateway: cpuOf(gateway.pid),
    workers: workers.reduce((sum, w) => sum + cpuOf(w.child.pid), 0),
  };
}
