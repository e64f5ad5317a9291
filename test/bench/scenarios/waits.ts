import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { runScript } from '../lib/proc';
import { median } from '../lib/stats';

/** One population of waiting runs: resume latency, Redis bytes per waiting run, the process's memory. */
export interface WaitsRow {
  population: number;
  /** Medians over the rounds. */
  p50: number;
  p99: number;
  redisBytesPerWait: number;
  heapMiB: number;
  rssMiB: number;
  rounds: Array<{ p50: number; p99: number; redisBytesPerWait: number; heapMiB: number; rssMiB: number }>;
}

export interface WaitsResult {
  probes: number;
  rows: WaitsRow[];
  /** p50 with the largest population / p50 with the smallest: the goal is ≤ 1.2. */
  p50Ratio: number;
}

/**
 * Steps that wait, on Redis (children/waits.ts): one process makes 10, then
 * 100 000 runs wait (Redis memory per waiting run, from INFO memory); after
 * each, a fresh process with its own worker serves probe runs: the resume
 * latency (a probe's event dispatched → its waiting step ended) and that
 * process's heap and RSS after a full GC, which should not depend on how
 * many runs wait.
 */
export async function waitsScenario(ctx: BenchContext): Promise<WaitsResult> {
  const populations = ctx.quick ? [10, 5_000] : [10, 100_000];
  const probes = ctx.quick ? 50 : 200;
  const perRound: Array<Array<WaitsRow['rounds'][number] & { population: number }>> = [];
  for (let round = 1; round <= Math.min(ctx.rounds, 3); round++) {
    const prefix = roundPrefix('waits');
    const child = <T>(options: object) =>
      runScript<T>(
        'children/waits.ts',
        [
          JSON.stringify({
            config: ctx.hub.config,
            url: ctx.redis.url,
            prefix,
            probes,
            concurrency: 32,
            ...options,
          }),
        ],
        undefined,
        ['--expose-gc'],
      );
    try {
      const results: Array<WaitsRow['rounds'][number] & { population: number }> = [];
      let from = 0;
      for (const population of populations) {
        // One process makes the runs wait; a fresh one serves the probes, so its memory is the waits' alone.
        const { redisBytesPerWait } = await child<{ redisBytesPerWait: number }>({
          mode: 'populate',
          population,
          from,
        });
        const probed = await child<{ p50: number; p99: number; heapMiB: number; rssMiB: number }>({
          mode: 'probe',
          population,
          from,
        });
        results.push({ population, redisBytesPerWait, ...probed });
        from = population;
      }
      perRound.push(results);
      ctx.log(
        `waits round ${round}: ${results
          .map(
            (r) =>
              `${r.population} waiting: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${Math.round(r.redisBytesPerWait)} B/run in Redis, heap ${r.heapMiB.toFixed(0)} MiB, RSS ${r.rssMiB.toFixed(0)} MiB`,
          )
          .join('; ')}`,
      );
    } finally {
      await deleteKeys(prefix, ctx.redis.url);
    }
  }
  const rows = populations.map((population, i) => {
    const rounds = perRound.map((r) => r[i]!);
    const mid = (pick: (r: WaitsRow['rounds'][number]) => number) => median(rounds.map(pick));
    return {
      population,
      p50: mid((r) => r.p50),
      p99: mid((r) => r.p99),
      redisBytesPerWait: mid((r) => r.redisBytesPerWait),
      heapMiB: mid((r) => r.heapMiB),
      rssMiB: mid((r) => r.rssMiB),
      rounds,
    };
  });
  return { probes, rows, p50Ratio: rows.at(-1)!.p50 / rows[0]!.p50 };
}
