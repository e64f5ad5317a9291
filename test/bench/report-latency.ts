import { table } from './lib/markdown-table';
import { round } from './lib/stats';
import type { Goal } from './report';
import { type LatencyResult, SEGMENTS, type Segment } from './scenarios/latency';

/** Redis end to end, webhook sent → five-step run succeeded (issue 21). */
export function latencyGoals(latency: LatencyResult): Goal[] {
  const redis = latency.rows.find((r) => r.target.includes('Redis'));
  if (!redis) return [];
  const at = `five steps, ${latency.rate} webhooks/s`;
  return [
    {
      goal: `End to end on Redis p50 ≤ 5 ms (${at})`,
      measured: `${round(redis.p50)} ms`,
      holds: redis.p50 <= 5,
    },
    {
      goal: `End to end on Redis p99 ≤ 15 ms (${at})`,
      measured: `${round(redis.p99)} ms`,
      holds: redis.p99 <= 15,
    },
  ];
}

/** The end-to-end table and, when measured, where the time goes. */
export function latencyTables(latency: LatencyResult): string {
  const parts = [
    `### End-to-end latency: webhook sent → run succeeded, five-step flow, ${latency.rate} webhooks/s for ${latency.durationS} s`,
    table(
      ['target', 'p50 ms (median)', 'p99 ms (median)', 'per round (p50 / p99)'],
      latency.rows.map((r) => [
        r.target,
        round(r.p50),
        round(r.p99),
        r.rounds.map((x) => `${round(x.p50)} / ${round(x.p99)}`).join(', '),
      ]),
    ),
  ];
  const rows = latency.rows.flatMap((r) =>
    r.breakdown ? [{ target: r.target, breakdown: r.breakdown }] : [],
  );
  if (rows.length > 0) {
    const segments = Object.keys(SEGMENTS) as Segment[];
    parts.push(
      'Where the time goes, from each run’s record (its `createdAt`, its steps’ `startedAt` and `endedAt`, its `endedAt`, in whole milliseconds, so each segment is ± 1 ms): p50 / p99 of each segment in ms, medians over the rounds. Percentiles of the segments need not add up to the total’s.',
      table(
        ['target', ...segments.map((s) => SEGMENTS[s])],
        rows.map((r) => [
          r.target,
          ...segments.map((s) => `${round(r.breakdown[s].p50)} / ${round(r.breakdown[s].p99)}`),
        ]),
      ),
    );
  }
  return parts.join('\n\n');
}
