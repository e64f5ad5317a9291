import { freePort } from '../../helpers/free-port';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { CHAIN_EVENT } from '../lib/hub';
import { runScript, sleep, startBaton } from '../lib/proc';
import { median, percentile } from '../lib/stats';

export interface LatencyRow {
  target: string;
  /** Per round: p50 and p99 in ms, and how many runs were measured. */
  rounds: Array<{ p50: number; p99: number; runs: number; failed: number }>;
  p50: number;
  p99: number;
}

export interface LatencyResult {
  rate: number;
  durationS: number;
  rows: LatencyRow[];
}

const RATE = 100;

/**
 * Webhook sent → run succeeded, for the five-step flow at a fixed moderate
 * rate through `baton serve` (its own worker; on Redis too). The sender
 * notes when each request left; the run's `endedAt` says when it ended.
 */
export async function latencyScenario(ctx: BenchContext): Promise<LatencyResult> {
  const durationS = ctx.quick ? 3 : 8;
  const rows: LatencyRow[] = [];
  for (const backend of ['embedded', 'redis'] as const) {
    const rounds: LatencyRow['rounds'] = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      rounds.push(await measure(ctx, backend, durationS));
      const last = rounds[rounds.length - 1]!;
      ctx.log(
        `latency round ${round} ${backend}: p50 ${last.p50.toFixed(1)} ms, p99 ${last.p99.toFixed(1)} ms over ${last.runs} runs`,
      );
    }
    rows.push({
      target: `baton serve (${backend === 'embedded' ? 'embedded' : 'Redis'})`,
      rounds,
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
    });
  }
  return { rate: RATE, durationS, rows };
}

async function measure(ctx: BenchContext, backend: 'embedded' | 'redis', durationS: number) {
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
    const { sent, failed } = await runScript<{ sent: Array<[number, string]>; failed: number }>(
      'children/steady-load.ts',
      [
        JSON.stringify({
          url: `${base}/webhooks/shop`,
          rate: RATE,
          durationS,
          eventType: CHAIN_EVENT,
          bodyBytes: 1024,
        }),
      ],
    );
    const latencies: number[] = [];
    for (const [sentAt, runId] of sent) {
      const ended = await endedAt(`${base}/api/runs/${runId}`);
      latencies.push(ended - sentAt);
    }
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), runs: latencies.length, failed };
  } finally {
    await server.stop();
    if (backend === 'redis') await deleteKeys(prefix, ctx.redis.url);
  }
}

/** When the run ended (epoch ms), waiting for it to end if it has not yet. */
async function endedAt(url: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const run = (await (await fetch(url)).json()) as { status: string; endedAt?: string };
    if (run.status === 'succeeded' && run.endedAt) return Date.parse(run.endedAt);
    if (run.status === 'failed' || run.status === 'cancelled') throw new Error(`${url} ${run.status}`);
    await sleep(50);
  }
  throw new Error(`${url} did not end`);
}
