import type { BatonError } from '@baton/sdk';
import type { CompiledStep } from '../compile/compile-flow';
import type { ResolvedRetry } from '../compile/retry-policy';

/** What to do after a failed attempt. */
export type AfterFailure =
  | { next: 'retry'; delayMs: number }
  | { next: 'reroute'; route: number }
  | { next: 'fail' };

/**
 * The rule of retries, fallbacks and the breaker's answer, after attempt
 * `attempt` of route `route` failed with `error`: retry the same route
 * (retryable error, attempts left, code not listed as non-retryable), else
 * try the next route, else fail. An open breaker with a fallback reroutes at
 * once rather than waiting it out; a cancelled run never retries.
 */
export function afterFailure(
  step: CompiledStep,
  route: number,
  attempt: number,
  error: Pick<BatonError, 'code' | 'retryable' | 'retryAfterMs'>,
  random: () => number,
): AfterFailure {
  const policy = step.routes[route]!.retry;
  const hasNext = route + 1 < step.routes.length;
  if (error.code === 'RUN_CANCELLED') return { next: 'fail' };
  if (error.code === 'BREAKER_OPEN' && hasNext) return { next: 'reroute', route: route + 1 };
  if (mayRetry(policy, attempt, error)) {
    return { next: 'retry', delayMs: retryDelay(policy, attempt, error.retryAfterMs, random) };
  }
  if (hasNext) return { next: 'reroute', route: route + 1 };
  return { next: 'fail' };
}

/** Whether a failed attempt may be tried again under `policy`. */
export function mayRetry(
  policy: ResolvedRetry,
  attempt: number,
  error: Pick<BatonError, 'code' | 'retryable'>,
): boolean {
  return error.retryable && !policy.nonRetryable.has(error.code) && attempt < policy.maxAttempts;
}

/**
 * The wait before attempt `attempt + 1`, after `attempt` attempts failed:
 * exponential, capped, with ±20% jitter so retries of many runs do not land
 * together; never shorter than the server's `Retry-After`.
 */
export function retryDelay(
  policy: ResolvedRetry,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    policy.maximumIntervalMs,
    policy.initialIntervalMs * policy.backoffCoefficient ** Math.max(0, attempt - 1),
  );
  const jittered = Math.min(policy.maximumIntervalMs, Math.round(base * (0.8 + 0.4 * random())));
  return Math.max(jittered, retryAfterMs ?? 0);
}
