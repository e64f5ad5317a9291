import { freePort } from '../../helpers/free-port';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { CHAIN_EVENT } from '../lib/hub';
import { runScript, startBaton } from '../lib/proc';
import { runTimes } from '../lib/run-times';
import { median, percentile } from '../lib/stats';

/** Where a run's time goes, from its record: each segment's p50 and p99 in ms. */
export const SEGMENTS = {
  ingest: 'sent → run created (ingest)',
  queue: 'created → first step started (start relay, queue)',
  steps: 'first step started → last step ended (steps)',
  end: 'last step ended → run ended',
} as const;
export type Segment = keyof typeof SEGMENTS;
export type Breakdown = Record<Segment, { p50: number; p99: number }>;

interface LatencyRound {
  p50: number;
  p99: number;
  runs: number;
  failed: number;
  breakdown?: Breakdown;
}

export interface LatencyRow {
  target: string;
  /** Per round: p50 and p99 in ms, how many runs were measured, where their time went. */
  rounds: LatencyRound[];
  p50: number;
  p99: number;
  /** Each segment's p50 and p99, medians over the rounds (absent in results from before it). */
  breakdown?: Breakdown;
}

export interface LatencyResult {
  rate: number;
  durationS: number;
  rows: LatencyRow[];
}

const RATE = 100;
/** The same load, unmeasured, before each round's measured run. */
const WARM_UP_S = 2;

/**
 * Webhook sent → run succeeded, for the five-step flow at a fixed moderate
 * rate through `baton serve` (its own worker; on Redis too). The sender
 * notes when each request left; the run's record says when it was
 * created, when its steps started and ended, and when it ended: where the
 * time went (SEGMENTS). Each round first sends the same load for
 * WARM_UP_S seconds, unmeasured.
 */
export async function latencyScenario(ctx: BenchContext): Promise<LatencyResult> {
  const durationS = ctx.quick ? 3 : 8;
  const rows: LatencyRow[] = [];
  for (const backend of ['embedded', 'redis'] as const) {
    const rounds: Array<Required<LatencyRound>> = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      rounds.push(await measure(ctx, backend, durationS));
      const last = rounds[rounds.length - 1]!;
      const parts = (Object.keys(SEGMENTS) as Segment[])
        .map((s) => `${s} ${last.breakdown[s].p50}/${last.breakdown[s].p99}`)
        .join(', ');
      ctx.log(
        `latency round ${round} ${backend}: p50 ${last.p50.toFixed(1)} ms, p99 ${last.p99.toFixed(1)} ms over ${last.runs} runs (p50/p99 ms: ${parts})`,
      );
    }
    rows.push({
      target: `baton serve (${backend === 'embedded' ? 'embedded' : 'Redis'})`,
      rounds,
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      breakdown: mapSegments((s) => ({
        p50: median(rounds.map((r) => r.breakdown[s].p50)),
        p99: median(rounds.map((r) => r.breakdown[s].p99)),
      })),
    });
  }
  return { rate: RATE, durationS, rows };
}

const mapSegments = <T>(value: (segment: Segment) => T): Record<Segment, T> =>
  Object.fromEntries((Object.keys(SEGMENTS) as Segment[]).map((s) => [s, value(s)])) as Record<Segment, T>;

async function measure(
  ctx: BenchContext,
  backend: 'embedded' | 'redis',
  durationS: number,
): Promise<Required<LatencyRound>> {
  const prefix = roundPrefix('latency');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, BATON_LOG_LEVEL: 'warn' };
  if (backend === 'redis') Object.assign(env, { REDIS_URL: ctx.redis.url, BATON_REDIS_PREFIX: prefix });
  else delete env.REDIS_URL;
  const server = startBaton(['serve', '--port', String(port), '--config', ctx.hub.config], {
    cwd: ctx.hub.path,
    env,
  });
  try {
    await server.waitFor(/Baton listening on/);
    const base = `http://127.0.0.1:${port}`;
    const load = (seconds: number) =>
      runScript<{ sent: Array<[number, string]>; failed: number }>('children/steady-load.ts', [
        JSON.stringify({
          url: `${base}/webhooks/shop`,
          rate: RATE,
          durationS: seconds,
          eventType: CHAIN_EVENT,
          bodyBytes: 1024,
        }),
      ]);
    // Not measured: the first runs of a fresh process pay for its cold code (JIT) and connections.
    await load(WARM_UP_S);
    const { sent, failed } = await load(durationS);
    const latencies: number[] = [];
    const segments = mapSegments((): number[] => []);
    for (const [sentAt, runId] of sent) {
      const times = await runTimes(`${base}/api/runs/${runId}`);
      latencies.push(times.endedAt - sentAt);
      segments.ingest.push(times.createdAt - sentAt);
      segments.queue.push(times.firstStepStartedAt - times.createdAt);
      segments.steps.push(times.lastStepEndedAt - times.firstStepStartedAt);
      segments.end.push(times.endedAt - times.lastStepEndedAt);
    }
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      runs: latencies.length,
      failed,
      breakdown: mapSegments((s) => ({ p50: percentile(segments[s], 50), p99: percentile(segments[s], 99) })),
    };
  } finally {
    await server.stop();
    if (backend === 'redis') await deleteKeys(prefix, ctx.redis.url);
  }
}
