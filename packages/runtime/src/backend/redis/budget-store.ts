import { turnWait } from '../budget-wait';
import type { BudgetAnswer, BudgetAsk, BudgetPolicy, BudgetState, BudgetStore } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

const GRANTED: BudgetAnswer = { granted: true };

/**
 * Provider budgets in Redis, shared by every worker: one script call per
 * ask (lua/budget.ts), on Redis's clock. A release is one more call, which
 * the caller need not wait for: a call's own connection sends it before
 * anything the same process asks afterwards.
 */
export class RedisBudgetStore implements BudgetStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  async acquire(instance: string, ask: BudgetAsk): Promise<BudgetAnswer> {
    const { rate, concurrency } = ask.policy;
    const answer = await guard(() =>
      this.redis.batonBudgetAcquire(
        ...this.keys.budget(instance),
        ask.callId,
        ask.flow,
        rate ? rate.requests : '',
        rate ? rate.perMs : 0,
        concurrency ?? '',
        Math.ceil(ask.leaseMs),
        Math.ceil(ask.holdMs),
      ),
    );
    if (answer[0] === 1) return GRANTED;
    const [, position, pausedUntil, inFlight, slotsTaken, counted, turnEnd, now] = answer as number[];
    return turnWait({
      now: now!,
      policy: ask.policy,
      position: position!,
      pausedUntil: pausedUntil!,
      inFlight: inFlight!,
      slotsTaken: slotsTaken!,
      counted: counted!,
      turnEnd: turnEnd! >= 0 ? turnEnd : undefined,
    });
  }

  async release(instance: string, callId: string, policy: BudgetPolicy): Promise<void> {
    await guard(() =>
      this.redis.batonBudgetRelease(
        ...this.keys.budget(instance),
        callId,
        policy.rate ? policy.rate.perMs : '',
      ),
    );
  }

  async withdraw(instance: string, callId: string): Promise<void> {
    const [, , , line, holds] = this.keys.budget(instance);
    await guard(() => this.redis.multi().zrem(line!, callId).zrem(holds!, callId).exec());
  }

  async pause(instance: string, forMs: number): Promise<void> {
    await guard(() => this.redis.batonBudgetPause(...this.keys.budget(instance), Math.ceil(forMs)));
  }

  async state(instance: string): Promise<BudgetState> {
    const [inFlight, slots, counted, waiting, pausedUntil, now] = await guard(() =>
      this.redis.batonBudgetState(...this.keys.budget(instance)),
    );
    return {
      inFlight: Math.max(inFlight!, slots!),
      inWindow: counted! + inFlight!,
      waiting: waiting!,
      ...(pausedUntil! > now! ? { pausedUntil: pausedUntil! } : {}),
    };
  }
}
