import type { BenchContext } from '../lib/context';
import { CHAIN_EVENT, METERED_CHAIN_EVENT, NEVER_BINDING_LIMITS, writeBudgetsHub } from '../lib/hub';
import { runScript, startScript } from '../lib/proc';
import { median } from '../lib/stats';
import { batonWorkers, CONCURRENCY, type RedisRound } from '../lib/workers';
import { type ProviderRateResult, providerRate } from './provider-rate';

/** One instance's steps on Redis: steps/s per round and medians. */
export interface BudgetsRow {
  rounds: number[];
  stepsPerS: number;
  workerCpuUs: number;
  redisCpuUs: number;
}

export interface BudgetsResult {
  runs: { embedded: number; redis: number };
  workers: number;
  concurrency: number;
  /** The budget of the metered instance, which never binds. */
  limits: typeof NEVER_BINDING_LIMITS;
  redis: {
    plain: BudgetsRow;
    metered: BudgetsRow;
    /** metered / plain steps/s, per round and their median: the goal is ≥ 0.90. */
    ratioRounds: number[];
    ratio: number;
  };
  /** Wall time per step on the embedded backend, µs, per round and medians. */
  embedded: {
    rounds: Array<{ plainUs: number; meteredUs: number }>;
    plainUs: number;
    meteredUs: number;
  };
  provider: ProviderRateResult;
}

const WORKERS = 2;

/**
 * Provider budgets (issue 17): what a budget costs a step when it never
 * binds (the five-step chain through a plain no-op instance and through a
 * second instance of it with a budget, back to back in each round, on
 * Redis with two workers and embedded), and how close to a provider's
 * limit a budget lets runs go (provider-rate.ts). The sandbox runs in a
 * process of its own.
 */
export async function budgetsScenario(ctx: BenchContext): Promise<BudgetsResult> {
  const sandbox = startScript('children/sandbox.ts');
  const [, sandboxUrl] = await sandbox.waitFor(/listening (\S+)/);
  const hub = writeBudgetsHub(sandboxUrl!);
  try {
    const embeddedRuns = ctx.quick ? 3000 : 10_000;
    const redisRuns = ctx.quick ? 600 : 2000;
    const plain: RedisRound[] = [];
    const metered: RedisRound[] = [];
    const embedded: BudgetsResult['embedded']['rounds'] = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      // Alternate which goes first, so neither always has the warmer machine.
      const order = round % 2 === 1 ? [CHAIN_EVENT, METERED_CHAIN_EVENT] : [METERED_CHAIN_EVENT, CHAIN_EVENT];
      // One process runs both chains in turns of slices: the two see the same machine.
      const { byEvent, failed } = await runScript<{
        byEvent: Record<string, { usPerStep: number }>;
        failed: number;
      }>('children/embedded-steps.ts', [
        JSON.stringify({
          config: hub.config,
          runs: embeddedRuns,
          warmupRuns: 1000,
          concurrency: CONCURRENCY,
          compare: order,
        }),
      ]);
      if (failed > 0) throw new Error(`${failed} embedded runs failed`);
      const us = (event: string) => byEvent[event]!.usPerStep;
      embedded.push({ plainUs: us(CHAIN_EVENT), meteredUs: us(METERED_CHAIN_EVENT) });
      const redis: Record<string, RedisRound> = {};
      for (const event of order) {
        redis[event] = await batonWorkers(ctx, {
          workers: WORKERS,
          runs: redisRuns,
          hub,
          event,
          label: 'budgets',
        });
      }
      plain.push(redis[CHAIN_EVENT]!);
      metered.push(redis[METERED_CHAIN_EVENT]!);
      const [p, m] = [redis[CHAIN_EVENT]!, redis[METERED_CHAIN_EVENT]!];
      ctx.log(
        `budgets round ${round}: Redis ${WORKERS} workers plain ${Math.round(p.stepsPerS)} steps/s, ` +
          `metered ${Math.round(m.stepsPerS)} steps/s (${(m.stepsPerS / p.stepsPerS).toFixed(2)}x); ` +
          `embedded ${us(CHAIN_EVENT).toFixed(1)} vs ${us(METERED_CHAIN_EVENT).toFixed(1)} µs/step`,
      );
    }
    const ratioRounds = plain.map((p, i) => metered[i]!.stepsPerS / p.stepsPerS);
    return {
      runs: { embedded: embeddedRuns, redis: redisRuns },
      workers: WORKERS,
      concurrency: CONCURRENCY,
      limits: NEVER_BINDING_LIMITS,
      redis: { plain: row(plain), metered: row(metered), ratioRounds, ratio: median(ratioRounds) },
      embedded: {
        rounds: embedded,
        plainUs: median(embedded.map((r) => r.plainUs)),
        meteredUs: median(embedded.map((r) => r.meteredUs)),
      },
      provider: await providerRate(ctx, hub, sandboxUrl!),
    };
  } finally {
    await sandbox.stop();
    hub.remove();
  }
}

function row(rounds: RedisRound[]): BudgetsRow {
  return {
    rounds: rounds.map((r) => r.stepsPerS),
    stepsPerS: median(rounds.map((r) => r.stepsPerS)),
    workerCpuUs: median(rounds.map((r) => r.workerCpuUs)),
    redisCpuUs: median(rounds.map((r) => r.redisCpuUs)),
  };
}
