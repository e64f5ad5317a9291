import { turnWait } from '../budget-wait';
import type { BudgetAnswer, BudgetAsk, BudgetPolicy, BudgetState, BudgetStore } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

const GRANTED: BudgetAnswer = { granted: true };

/** How long a given-back slot may wait to ride along with the instance's next ask. */
const RELEASE_FLUSH_MS = 5;

interface Answered {
  /** The rate window of the budget the calls were let through under, '' without a rate. */
  per: number | '';
  ids: string[];
  timer: NodeJS.Timeout;
}

/**
 * Provider budgets in Redis, shared by every worker: one script call per
 * ask (lua/budget.ts), on Redis's clock. The calls that answered ride along
 * with the instance's next ask, or go on their own a few milliseconds
 * later: one script call per call, not two. A slot given back late counts
 * a little longer, never shorter, so the provider still sees no more than
 * its quota.
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly answered = new Map<string, Answered>();

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  async acquire(instance: string, ask: BudgetAsk): Promise<BudgetAnswer> {
    const { rate, concurrency } = ask.policy;
    const given = this.take(instance, rate ? rate.perMs : '');
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
        ask.lease?.slots ?? 0,
        Math.ceil(ask.lease?.holdMs ?? 0),
        given.length,
        ...given,
      ),
    );
    if (answer[0] === 1)
      return answer.length > 1 ? { granted: true, leased: answer.slice(1) as string[] } : GRANTED;
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
    const per = policy.rate ? policy.rate.perMs : '';
    let pending = this.answered.get(instance);
    if (pending && pending.per !== per) await this.flush(instance);
    pending = this.answered.get(instance);
    if (!pending) {
      const timer = setTimeout(() => void this.flush(instance).catch(() => {}), RELEASE_FLUSH_MS);
      timer.unref();
      pending = { per, ids: [], timer };
      this.answered.set(instance, pending);
    }
    pending.ids.push(callId);
  }

  /** Gives back every slot still waiting to ride along (before the backend closes). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.answered.keys()].map((instance) => this.flush(instance).catch(() => {})));
  }

  private async flush(instance: string): Promise<void> {
    const pending = this.answered.get(instance);
    if (!pending) return;
    const ids = this.take(instance, pending.per);
    await guard(() =>
      this.redis.batonBudgetRelease(...this.keys.budget(instance), pending.per, ids.length, ...ids),
    );
  }

  /** The answered calls of `instance` to give back now, when they were let through under the same window. */
  private take(instance: string, per: number | ''): string[] {
    const pending = this.answered.get(instance);
    if (!pending || pending.per !== per) return [];
    clearTimeout(pending.timer);
    this.answered.delete(instance);
    return pending.ids;
  }

  async giveBack(instance: string, slotIds: readonly string[]): Promise<void> {
    if (slotIds.length === 0) return;
    await guard(() =>
      this.redis.batonBudgetGiveBack(...this.keys.budget(instance), slotIds.length, ...slotIds),
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
