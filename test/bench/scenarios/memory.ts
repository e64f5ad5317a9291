import { freePort } from '../../helpers/free-port';
import type { BenchContext } from '../lib/context';
import { INGEST_EVENT } from '../lib/hub';
import { type Child, rssOf, runScript, sleep, startBaton } from '../lib/proc';
import { median, slope } from '../lib/stats';

export interface MemoryResult {
  totalRuns: number;
  retention: number;
  /** RSS and V8 heap in use (MiB) after every batch of completed runs and a full collection. */
  samples: Array<{ runs: number; rssMiB: number; heapMiB: number }>;
  /** Once retention is reached: the largest deviation from the median, in %. */
  spreadPct: number;
  /** Once retention is reached: the fitted growth, in MiB per 10k runs. */
  slopeMiBPer10k: number;
}

const RETENTION = 10_000;

/**
 * RSS of `baton serve` (embedded, default retention) while it completes
 * runs of the one-step flow: signed webhooks in batches (20 connections),
 * each waited out until every run ended, then a sample.
 */
export async function memoryScenario(ctx: BenchContext): Promise<MemoryResult> {
  const batch = ctx.quick ? 2000 : 10_000;
  const batches = 10;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, BATON_LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  // The inspector lets the bench ask for a full collection before each sample (see collect-garbage.ts).
  const server = startBaton(['serve', '--port', String(port), '--config', ctx.hub.config], {
    cwd: ctx.hub.path,
    env,
    nodeArgs: ['--inspect=127.0.0.1:0'],
  });
  const samples: MemoryResult['samples'] = [];
  try {
    await server.waitFor(/Baton listening on/);
    const inspector = await inspectorUrl(server);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 1; i <= batches; i++) {
      await runScript('children/ingest-load.ts', [
        JSON.stringify({
          url: `${base}/webhooks/shop`,
          connections: 20,
          amount: batch,
          eventType: INGEST_EVENT,
          bodyBytes: 1024,
        }),
      ]);
      await untilFinished(`${base}/metrics`, batch * i);
      await runScript('children/collect-garbage.ts', [inspector], process.env, ['--experimental-websocket']);
      await sleep(200);
      const sample = { runs: batch * i, rssMiB: rssOf(server.pid) / 2 ** 20, heapMiB: await heapUsed(base) };
      samples.push(sample);
      ctx.log(
        `memory: ${sample.runs} runs, RSS ${sample.rssMiB.toFixed(1)} MiB, heap ${sample.heapMiB.toFixed(1)} MiB`,
      );
    }
  } finally {
    await server.stop();
  }
  const steady = samples.filter((s) => s.runs >= RETENTION);
  const mid = median(steady.map((s) => s.rssMiB));
  return {
    totalRuns: batch * batches,
    retention: RETENTION,
    samples,
    spreadPct: Math.max(...steady.map((s) => (100 * Math.abs(s.rssMiB - mid)) / mid)),
    slopeMiBPer10k: slope(steady.map((s) => [s.runs / 10_000, s.rssMiB] as const)),
  };
}

/** The inspector URL the process printed on stderr (which may come after its stdout). */
async function inspectorUrl(server: Child): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(server.output().stderr)?.[0];
    if (url) return url;
    await sleep(50);
  }
  throw new Error(`baton serve printed no inspector URL:\n${server.output().stderr}`);
}

/** The V8 heap in use, from the gateway's metrics, in MiB. */
async function heapUsed(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const bytes = /^baton_nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1];
  return Number(bytes) / 2 ** 20;
}

/** Waits until the gateway's metrics count `target` finished runs. */
async function untilFinished(metricsUrl: string, target: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const text = await (await fetch(metricsUrl)).text();
    let finished = 0;
    for (const match of text.matchAll(/^baton_runs_finished_total\{[^}]*\} (\d+)/gm))
      finished += Number(match[1]);
    if (finished >= target) return;
    await sleep(100);
  }
  throw new Error(`fewer than ${target} runs finished in time`);
}
