import { table } from './lib/markdown-table';
import { round } from './lib/stats';
import type { Goal } from './report';
import type { BudgetsResult } from './scenarios/budgets';

/** The budgets scenario's goals (issue 17). */
export function budgetsGoals(budgets: BudgetsResult): Goal[] {
  const { redis, provider } = budgets;
  const { requests, perMs } = provider.limit;
  return [
    {
      goal: `Steps through a budget that never binds ≥ 0.90 × without one (Redis, ${budgets.workers} workers)`,
      measured: `${redis.ratio.toFixed(2)} ×`,
      holds: redis.ratio >= 0.9,
    },
    {
      goal: `Throughput against a provider limited to ${requests} per ${perMs} ms ≥ 0.95 × the limit, never over it, no 429`,
      measured: `${provider.ratio.toFixed(3)} × (${round(provider.steady)}/s), at most ${provider.maxInAnyWindow} in any ${perMs} ms, ${provider.rejected} refused; ${Math.round(provider.unlimitedPerS)}/s without a limit`,
      holds: provider.ratio >= 0.95 && provider.maxInAnyWindow <= requests && provider.rejected === 0,
    },
  ];
}

/** The budgets scenario's tables. */
export function budgetsTables(budgets: BudgetsResult): string {
  const { redis, embedded, provider, limits } = budgets;
  const perRound = (a: number[], b: number[]) => a.map((x, i) => `${Math.round(x)} / ${Math.round(b[i]!)}`);
  const { requests, perMs } = provider.limit;
  return [
    `### Provider budgets: five no-op steps per run through an instance without a budget and one with a budget that never binds (rate ${limits.rate.requests} per ${limits.rate.per}, concurrency ${limits.concurrency})`,
    table(
      ['measure', 'without a budget', 'with the budget', 'with / without', 'per round (without / with)'],
      [
        [
          `Redis, ${budgets.workers} workers, ${budgets.runs.redis} runs: steps/s`,
          Math.round(redis.plain.stepsPerS),
          Math.round(redis.metered.stepsPerS),
          `**${redis.ratio.toFixed(2)}** (median of rounds)`,
          perRound(redis.plain.rounds, redis.metered.rounds).join(', '),
        ],
        [
          'Redis: worker CPU µs/step',
          Math.round(redis.plain.workerCpuUs),
          Math.round(redis.metered.workerCpuUs),
          (redis.metered.workerCpuUs / redis.plain.workerCpuUs).toFixed(2),
          '',
        ],
        [
          'Redis: Redis CPU µs/step',
          Math.round(redis.plain.redisCpuUs),
          Math.round(redis.metered.redisCpuUs),
          (redis.metered.redisCpuUs / redis.plain.redisCpuUs).toFixed(2),
          '',
        ],
        [
          `embedded, ${budgets.runs.embedded} runs: µs/step`,
          embedded.plainUs.toFixed(1),
          embedded.meteredUs.toFixed(1),
          `+${(embedded.meteredUs - embedded.plainUs).toFixed(1)} µs`,
          embedded.rounds.map((r) => `${r.plainUs.toFixed(1)} / ${r.meteredUs.toFixed(1)}`).join(', '),
        ],
      ],
    ),
    `### Provider budgets: ${provider.runs} one-step runs dispatched at once against the sandbox's inventory limited to ${requests} requests per ${perMs} ms, through an instance with that budget, ${provider.workers} workers on Redis`,
    table(
      [
        'round',
        'without a limit /s',
        'accepted',
        'refused (429)',
        `most in any ${perMs} ms`,
        'steady rate /s',
        'steady / limit',
        'overall rate /s',
        'slot reuse lost ms (p50 / p90)',
        'call: turn → answer ms (p50 / p90)',
        'longest gap ms (at s)',
        'worker / Redis CPU µs/run (without a limit)',
      ],
      provider.rounds.map((r, i) => [
        i + 1,
        Math.round(r.unlimitedPerS),
        r.accepted,
        r.rejected,
        r.maxInAnyWindow,
        round(r.steady),
        r.ratio.toFixed(3),
        round(r.overall),
        `${r.reuseLossMs.p50} / ${r.reuseLossMs.p90}`,
        `${r.callMs.p50} / ${r.callMs.p90}`,
        `${r.longestGapMs} (${r.longestGapAtS.toFixed(1)})`,
        `${Math.round(r.cpuUs.limited.workers)} / ${Math.round(r.cpuUs.limited.redis)} (${Math.round(r.cpuUs.unlimited.workers)} / ${Math.round(r.cpuUs.unlimited.redis)})`,
      ]),
    ),
    `"Without a limit" is the same runs through an instance without a budget against the provider without a limit, just before: what the workers reach on this machine; below the limit, the limited rate measures the machine rather than the budget. ` +
      `The steady rate is the least-squares slope of the provider's arrivals over time without the first and last ${perMs} ms (a budget lets a whole window through at once at the start); the overall rate is (n − 1) / (last − first) over every arrival. ` +
      `A slot of the budget serves again a window after its call answered: "slot reuse lost" is the time from arrival i to arrival i + ${requests}, less the window (the call's own time from its turn to its answer, since a slot counts a window from the answer; then waking the next waiter and asking its turn again); at ${requests} per ${perMs} ms every 10 ms lost per reuse costs about 1 %. ` +
      `Arrivals per second, round by round: ${provider.rounds.map((r) => r.perSecond.join(' ')).join('; ')}.`,
  ].join('\n\n');
}
