import { parseDuration } from '../flow/duration';
import type { RetryPolicy } from '../flow/schema';

/** A retry policy with every default filled in, in milliseconds. */
export interface ResolvedRetry {
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  nonRetryable: ReadonlySet<string>;
}

/** Temporal's defaults, but 3 attempts rather than unlimited: a flow step should end. */
export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  initialInterval: '1s',
  backoffCoefficient: 2,
} as const;

export function resolveRetry(policy: RetryPolicy | undefined): ResolvedRetry {
  const initialIntervalMs = parseDuration(policy?.initialInterval ?? RETRY_DEFAULTS.initialInterval);
  return {
    maxAttempts: policy?.maxAttempts ?? RETRY_DEFAULTS.maxAttempts,
    initialIntervalMs,
    backoffCoefficient: policy?.backoffCoefficient ?? RETRY_DEFAULTS.backoffCoefficient,
    maximumIntervalMs: policy?.maximumInterval
      ? parseDuration(policy.maximumInterval)
      : initialIntervalMs * 100,
    nonRetryable: new Set(policy?.nonRetryable ?? []),
  };
}
