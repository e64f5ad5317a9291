import type { RedisBackend } from '@baton/runtime';
import { type ArrivalRates, arrivalRates } from '../lib/arrivals';
import type { BenchContext } from '../lib/context';
import { PROVIDER_LIMIT, STOCK_EVENT, UNLIMITED_STOCK_EVENT } from '../lib/hub';
import { median, percentile } from '../lib/stats';
import { batonWorkers } from '../lib/workers';

/** What the provider saw in one round, and how fast the runs ended on Baton's side. */
export interface ProviderRound extends ArrivalRates {
  accepted: number;
  rejected: number;
  /** The most requests the provider accepted in any window of its limit. */
  maxInAnyWindow: number;
  /** `steady` / the limit. */
  ratio: number;
  /** Runs dispatched → all succeeded, per second. */
  runsPerS: number;
  /**
   * From a call's turn to its answer (its attempt's start to end), p50 and
   * p90 in ms: a slot counts a window from the answer, so this much of each
   * reuse is lost whatever the waiter does.
   */
  callMs: { p50: number; p90: number };
  /**
   * The same runs through an instance without a budget, against the
   * provider without a limit, just before: the requests per second the
   * workers reach on this machine (`overall`). Below the limit, the rate
   * above measures the machine, not the budget.
   */
  unlimitedPerS: number;
  /**
   * CPU per run of the two workers together and of Redis, in µs, without a
   * limit and limited: a call refused for long goes back to the queue and
   * asks again, which costs CPU the unlimited runs never spend.
   */
  cpuUs: { unlimited: { workers: number; redis: number }; limited: { workers: number; redis: number } };
}

export interface ProviderRateResult {
  limit: { requests: number; perMs: number };
  runs: number;
  workers: number;
  rounds: ProviderRound[];
  /** Medians of the rounds' steady rate, its ratio to the limit, and the rate without a limit. */
  steady: number;
  ratio: number;
  unlimitedPerS: number;
  /** The worst over the rounds: the most in any window, and every refused request. */
  maxInAnyWindow: number;
  rejected: number;
}

/** What `GET /_sandbox/limits/:system` answers (the fields the bench reads). */
interface LimitStats {
  accepted: number;
  rejected: number;
  maxInAnyWindow: number;
  arrivals: number[];
}

const WORKERS = 2;

/**
 * Throughput against a rate-limited provider: the sandbox's inventory
 * limited to PROVIDER_LIMIT, `runs` one-step runs dispatched at once, each
 * calling it through the `stock` instance whose budget is that limit, on
 * Redis with two `baton worker` processes. The sandbox counts what reached
 * it; the goal is the limit's rate, no more in any window and no 429.
 */
export async function providerRate(
  ctx: BenchContext,
  hub: { path: string; config: string },
  sandboxUrl: string,
): Promise<ProviderRateResult> {
  const runs = ctx.quick ? 600 : 2000;
  const control = async (path: string, method = 'GET', body?: object) => {
    const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!response.ok)
      throw new Error(`${method} /_sandbox${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  const through = async (event: string) => {
    let callMs: number[] = [];
    await control('/reset', 'POST');
    if (event === STOCK_EVENT) {
      await control('/limits/inventory', 'PUT', {
        requests: PROVIDER_LIMIT.requests,
        per: PROVIDER_LIMIT.perMs,
      });
    }
    const baton = await batonWorkers(ctx, {
      workers: WORKERS,
      runs,
      hub,
      event,
      stepsPerRun: 1,
      timeoutMs: (runs / PROVIDER_LIMIT.requests) * PROVIDER_LIMIT.perMs * 3 + 60_000,
      label: 'budgets-rate',
      inspect: async (backend, runIds) => {
        callMs = await callDurations(backend, runIds);
      },
    });
    return { baton, seen: (await (await control('/limits/inventory')).json()) as LimitStats, callMs };
  };
  const rounds: ProviderRound[] = [];
  // About 30 s a round at the full size: three rounds are enough to see the spread.
  for (let round = 1; round <= Math.min(ctx.rounds, 3); round++) {
    const unlimited = await through(UNLIMITED_STOCK_EVENT);
    const { baton, seen, callMs } = await through(STOCK_EVENT);
    const rates = arrivalRates(seen.arrivals, PROVIDER_LIMIT);
    const limitPerS = (PROVIDER_LIMIT.requests * 1000) / PROVIDER_LIMIT.perMs;
    const result: ProviderRound = {
      accepted: seen.accepted,
      rejected: seen.rejected,
      maxInAnyWindow: seen.maxInAnyWindow,
      ...rates,
      ratio: rates.steady / limitPerS,
      runsPerS: baton.stepsPerS,
      callMs: { p50: percentile(callMs, 50), p90: percentile(callMs, 90) },
      unlimitedPerS: arrivalRates(unlimited.seen.arrivals, PROVIDER_LIMIT).overall,
      cpuUs: {
        unlimited: { workers: unlimited.baton.workerCpuUs, redis: unlimited.baton.redisCpuUs },
        limited: { workers: baton.workerCpuUs, redis: baton.redisCpuUs },
      },
    };
    rounds.push(result);
    ctx.log(
      `budgets round ${round} provider: ${Math.round(result.unlimitedPerS)}/s without a limit; limited to ${limitPerS}/s: ` +
        `${result.steady.toFixed(1)}/s steady (${result.ratio.toFixed(3)}x), ` +
        `${result.overall.toFixed(1)}/s overall, max ${result.maxInAnyWindow} in any window, ${result.rejected} refused, ` +
        `worker CPU ${Math.round(baton.workerCpuUs)} µs/run (${Math.round(unlimited.baton.workerCpuUs)} without a limit), ` +
        `Redis ${Math.round(baton.redisCpuUs)} (${Math.round(unlimited.baton.redisCpuUs)}), ` +
        `call p50 ${result.callMs.p50} ms, p90 ${result.callMs.p90} ms, ` +
        `slot reuse lost p50 ${result.reuseLossMs.p50} ms, p90 ${result.reuseLossMs.p90} ms, ` +
        `longest gap ${result.longestGapMs} ms at ${result.longestGapAtS.toFixed(1)} s; per second: ${result.perSecond.join(' ')}`,
    );
  }
  return {
    limit: PROVIDER_LIMIT,
    runs,
    workers: WORKERS,
    rounds,
    steady: median(rounds.map((r) => r.steady)),
    ratio: median(rounds.map((r) => r.ratio)),
    unlimitedPerS: median(rounds.map((r) => r.unlimitedPerS)),
    maxInAnyWindow: Math.max(...rounds.map((r) => r.maxInAnyWindow)),
    rejected: rounds.reduce((sum, r) => sum + r.rejected, 0),
  };
}

/** Each run's call of its one step, from its turn to its answer, in ms. */
async function callDurations(backend: RedisBackend, runIds: readonly string[]): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < runIds.length; i += 100) {
    const runs = await Promise.all(runIds.slice(i, i + 100).map((id) => backend.runs.get(id)));
    for (const run of runs) {
      const attempt = run?.steps[0]?.attempts[0];
      if (attempt) durations.push(Date.parse(attempt.endedAt) - Date.parse(attempt.startedAt));
    }
  }
  return durations;
}
