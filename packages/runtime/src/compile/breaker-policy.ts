import type { BreakerConfig } from '../config/schema';
import { parseDuration } from '../flow/duration';

/** A connector instance's breaker settings, defaults filled in. */
export interface BreakerPolicy {
  failureThreshold: number;
  resetAfterMs: number;
}

export const BREAKER_DEFAULTS: BreakerPolicy = { failureThreshold: 5, resetAfterMs: 30_000 };

export function resolveBreaker(config: BreakerConfig | undefined): BreakerPolicy {
  return {
    failureThreshold: config?.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold,
    resetAfterMs: config?.resetAfter ? parseDuration(config.resetAfter) : BREAKER_DEFAULTS.resetAfterMs,
  };
}
