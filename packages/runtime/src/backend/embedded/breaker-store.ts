import type { BreakerSnapshot, BreakerStore } from '../types';

interface Breaker extends BreakerSnapshot {
  trialFor?: number;
}

const CLOSED: BreakerSnapshot = Object.freeze({ state: 'closed', failures: 0 });

/** Breakers in process memory. */
export class EmbeddedBreakerStore implements BreakerStore {
  private readonly breakers = new Map<string, Breaker>();

  async get(name: string): Promise<BreakerSnapshot> {
    return this.peek(name);
  }

  peek(name: string): BreakerSnapshot {
    const b = this.breakers.get(name);
    if (!b) return CLOSED;
    return {
      state: b.state,
      failures: b.failures,
      ...(b.openedAt !== undefined ? { openedAt: b.openedAt } : {}),
    };
  }

  async recordFailure(name: string): Promise<number> {
    const b = this.breakers.get(name) ?? { state: 'closed', failures: 0 };
    b.failures += 1;
    this.breakers.set(name, b);
    return b.failures;
  }

  async recordSuccess(name: string): Promise<void> {
    this.breakers.set(name, { state: 'closed', failures: 0 });
  }

  async open(name: string, at: number): Promise<void> {
    const b = this.breakers.get(name) ?? { state: 'closed', failures: 0 };
    this.breakers.set(name, { state: 'open', failures: b.failures, openedAt: at });
  }

  async claimTrial(name: string, openedAt: number): Promise<boolean> {
    const b = this.breakers.get(name);
    if (!b || b.openedAt !== openedAt || b.trialFor === openedAt) return false;
    b.trialFor = openedAt;
    b.state = 'half-open';
    return true;
  }

  async all(): Promise<Record<string, BreakerSnapshot>> {
    const out: Record<string, BreakerSnapshot> = {};
    for (const name of this.breakers.keys()) out[name] = await this.get(name);
    return out;
  }
}
