import type { BatonError } from '@baton/sdk';
import type { CompiledStep } from './compile-flow';
import { retryDelay } from './retry-policy';

/** What to do after a failed attempt. */
export type Decision =
  | { next: 'retry'; delayMs: number }
  | { next: 'reroute'; route: number }
  | { next: 'fail' };

/**
 * After attempt `attempt` of route `route` failed with `error`: retry the
 * same route (retryable error, attempts left, code not listed as
 * non-retryable), else try the next route, else fail. An open breaker with a
 * fallback reroutes at once rather than waiting it out.
 */
export function decide(step: CompiledStep, route: number, attempt: number, error: BatonError): Decision {
  const policy = step.routes[route]!.retry;
  const hasNext = route + 1 < step.routes.length;
  if (error.code === 'RUN_CANCELLED') return { next: 'fail' };
  if (error.code === 'BREAKER_OPEN' && hasNext) return { next: 'reroute', route: route + 1 };
  const retryable = error.retryable && !policy.nonRetryable.has(error.code);
  if (retryable && attempt < policy.maxAttempts) {
    return { next: 'retry', delayMs: retryDelay(policy, attempt, error.retryAfterMs) };
  }
  if (hasNext) return { next: 'reroute', route: route + 1 };
  return { next: 'fail' };
}
