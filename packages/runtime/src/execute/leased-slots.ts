import type { BudgetStore } from '../backend/types';
import type { EngineLogger } from '../log/logger';

/** Slots a process asks for at once, besides its call's own, when the budget is far from binding. */
export const LEASE_SLOTS = 64;
/**
 * How long leased slots may wait for a call here before they are given
 * back. Short: until then the rest of the fleet cannot use them, and a
 * pause another process learnt of is not seen by calls that take them.
 */
export const LEASE_HOLD_MS = 50;

interface Pool {
  ids: string[];
  /** The longest call the slots' lease in the store covers. */
  leaseMs: number;
  /** Until when (this process's clock) calls may take them. */
  usableUntil: number;
  timer: NodeJS.Timeout;
}

/**
 * Budget slots this process leased for its next calls (`BudgetAsk.lease`):
 * while a budget is far from binding, a busy process asks the store once
 * for many calls rather than once per call. The slots count in the store
 * from the moment they are leased, so the provider still sees no more than
 * its limit; unused ones go back after `LEASE_HOLD_MS`.
 */
export class LeasedSlots {
  private readonly pools = new Map<string, Pool>();
  /** Instances a lease is being asked for (one ask at a time per instance), settled with its answer. */
  private readonly asking = new Map<string, { answer: Promise<void>; settle: () => void }>();
  /** Instances whose last lease ask leased slots: the budget was far from binding. */
  private readonly leasing = new Set<string>();

  constructor(
    private readonly store: () => BudgetStore,
    private readonly log: EngineLogger,
    private readonly now: () => number,
  ) {}

  /** A leased slot of `instance` for a call that lasts at most `leaseMs`, if one is left. */
  take(instance: string, leaseMs: number): string | undefined {
    const pool = this.pools.get(instance);
    if (!pool || leaseMs > pool.leaseMs) return undefined;
    if (this.now() > pool.usableUntil) {
      void this.drop(instance);
      return undefined;
    }
    const id = pool.ids.pop();
    if (pool.ids.length === 0) {
      clearTimeout(pool.timer);
      this.pools.delete(instance);
    }
    return id;
  }

  /** Whether a call of `instance` should ask for a lease: none held and none being asked for. */
  wants(instance: string): boolean {
    return !this.pools.has(instance) && !this.asking.has(instance);
  }

  asked(instance: string): void {
    let settle!: () => void;
    const answer = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.asking.set(instance, { answer, settle });
  }

  /**
   * The lease ask out for `instance`, when the last one leased slots: a call
   * that finds none left waits for its answer rather than asking the store
   * itself (one ask for the many calls that come meanwhile). Near the
   * limit nothing is leased, and calls ask one by one, in line.
   */
  leaseOut(instance: string): Promise<void> | undefined {
    return this.leasing.has(instance) ? this.asking.get(instance)?.answer : undefined;
  }

  /** The store answered a lease ask (or failed: no ids): keeps what it leased. */
  answered(instance: string, ids: readonly string[] | undefined, leaseMs: number): void {
    this.asking.get(instance)?.settle();
    this.asking.delete(instance);
    if (!ids || ids.length === 0) {
      this.leasing.delete(instance);
      return;
    }
    this.leasing.add(instance);
    void this.drop(instance);
    const timer = setTimeout(() => void this.drop(instance), LEASE_HOLD_MS);
    timer.unref();
    this.pools.set(instance, { ids: [...ids], leaseMs, usableUntil: this.now() + LEASE_HOLD_MS, timer });
  }

  /** Gives back the instance's unused slots (their time is up, or the provider asked to pause). */
  drop(instance: string): Promise<void> {
    const pool = this.pools.get(instance);
    if (!pool) return Promise.resolve();
    clearTimeout(pool.timer);
    this.pools.delete(instance);
    return this.store()
      .giveBack(instance, pool.ids)
      .catch((error: unknown) =>
        this.log.warn(
          { err: error, instance },
          'could not give back leased budget slots; their lease ends them',
        ),
      );
  }

  /** Gives every unused slot back (the engine stops). */
  async dropAll(): Promise<void> {
    await Promise.all([...this.pools.keys()].map((instance) => this.drop(instance)));
  }
}
