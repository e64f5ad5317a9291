import type { EngineLogger } from '../log/logger';
import type { AnalyticsStore, BreakerStore } from './types';

/**
 * `store` with each opening of a breaker (`open`, after a run of failures
 * or a failed half-open trial) also counted in flow analytics. The count
 * is written after the opening and not waited for: it is rare (once per
 * reset period at most), and a failed count is logged, never the caller's
 * failure.
 */
export function countingOpenings(
  store: BreakerStore,
  analytics: AnalyticsStore,
  log?: EngineLogger,
): BreakerStore {
  const counted: BreakerStore = {
    get: (name) => store.get(name),
    recordFailure: (name) => store.recordFailure(name),
    recordSuccess: (name) => store.recordSuccess(name),
    claimTrial: (name, openedAt) => store.claimTrial(name, openedAt),
    all: () => store.all(),
    async open(name, at) {
      await store.open(name, at);
      analytics.recordBreakerOpening(name, at).catch((err: unknown) => {
        log?.warn({ instance: name, err }, 'could not count a breaker opening in the analytics');
      });
    },
  };
  // Kept only when the store has it: without peek the executor reads the store.
  if (store.peek) counted.peek = (name) => store.peek!(name);
  return counted;
}
