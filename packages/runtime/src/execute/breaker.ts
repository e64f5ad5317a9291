import { RetryableError } from '@baton/sdk';
import type { BreakerSnapshot, BreakerStore } from '../backend/types';
import type { BreakerPolicy } from '../compile/breaker-policy';

/** Thrown in place of a call while a connector instance's breaker is open. */
export class BreakerOpenError extends RetryableError {
  constructor(instance: string, retryAfterMs: number) {
    super(
      `The circuit breaker of "${instance}" is open: calls are short-circuited for ${Math.ceil(retryAfterMs / 1000)}s`,
      {
        code: 'BREAKER_OPEN',
        retryAfterMs,
      },
    );
  }
}

/**
 * Decides whether a call to `instance` may go out now. Closed: yes. Open:
 * no, until `resetAfterMs` passed; then one caller wins the half-open trial
 * and the others stay short-circuited until it reports back.
 */
export async function admit(
  store: BreakerStore,
  instance: string,
  policy: BreakerPolicy,
  now: number,
): Promise<BreakerSnapshot> {
  const snapshot = await store.get(instance);
  if (snapshot.state === 'closed' || snapshot.openedAt === undefined) return snapshot;
  const reopenAt = snapshot.openedAt + policy.resetAfterMs;
  if (now < reopenAt) throw new BreakerOpenError(instance, reopenAt - now);
  if (await store.claimTrial(instance, snapshot.openedAt)) return { ...snapshot, state: 'half-open' };
  throw new BreakerOpenError(instance, policy.resetAfterMs);
}

/**
 * Reports a call's outcome. Only failures that say the system is unwell
 * (retryable ones: network, timeouts, 5xx, 429) count; a declined card is
 * the system working.
 */
export async function report(
  store: BreakerStore,
  instance: string,
  policy: BreakerPolicy,
  before: BreakerSnapshot,
  outcome: { ok: true } | { ok: false; retryable: boolean },
  now: number,
): Promise<void> {
  if (outcome.ok) {
    // Most calls succeed on a closed breaker with no failures: nothing to write.
    if (before.state !== 'closed' || before.failures > 0) await store.recordSuccess(instance);
    return;
  }
  if (!outcome.retryable) return;
  if (before.state !== 'closed') {
    // The half-open trial failed: open again for another period.
    await store.open(instance, now);
    return;
  }
  const failures = await store.recordFailure(instance);
  if (failures >= policy.failureThreshold) await store.open(instance, now);
}
