import type { ConnectorLimits } from '@baton/sdk';
import type { LimitsConfig } from '../config/schema';
import { parseDuration } from '../flow/duration';
import type { BudgetPolicy } from '../model/budget';

/** A connector instance's budget: the provider limits it keeps, and how long a provider may pause it. */
export interface Budget {
  policy: BudgetPolicy;
  /** The longest pause a provider's Retry-After or rate-limit headers may impose. */
  maxPauseMs: number;
}

export const DEFAULT_MAX_PAUSE_MS = 5 * 60_000;

/**
 * The limits of an instance: the config's `limits` over the connector's
 * declared defaults, field by field (`false` turns a default off). An
 * instance with neither a rate nor a concurrency still has a budget: a
 * provider may pause it.
 */
export function resolveBudget(
  configured: LimitsConfig | undefined,
  declared: ConnectorLimits | undefined,
): Budget {
  const rate = configured?.rate !== undefined ? configured.rate : declared?.rate;
  const concurrency = configured?.concurrency !== undefined ? configured.concurrency : declared?.concurrency;
  const policy: BudgetPolicy = {};
  if (rate) {
    const perMs = typeof rate.per === 'number' ? rate.per : parseDuration(rate.per);
    if (rate.requests >= 1 && perMs > 0) policy.rate = { requests: Math.floor(rate.requests), perMs };
  }
  if (typeof concurrency === 'number' && concurrency >= 1) policy.concurrency = Math.floor(concurrency);
  const maxPauseMs = configured?.maxPause ? parseDuration(configured.maxPause) : DEFAULT_MAX_PAUSE_MS;
  return { policy, maxPauseMs };
}

/** True when the budget holds calls back (a rate or a concurrency), so calls must ask for their turn. */
export function limitsCalls(budget: Budget): boolean {
  return budget.policy.rate !== undefined || budget.policy.concurrency !== undefined;
}
