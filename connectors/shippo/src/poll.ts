import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '@baton/sdk';

/** Shippo statuses that mean "not done yet". */
export const PENDING = new Set(['WAITING', 'QUEUED']);

/**
 * Asks again every `intervalMs` while Shippo reports an object as queued.
 * Gives up after `timeoutMs` with a retryable `SHIPPO_PENDING` error (the
 * retry finds the same purchase and waits again); the step's abort signal
 * ends the wait at once.
 */
export async function waitWhilePending<T extends { status: string }>(
  first: T,
  next: () => Promise<T>,
  options: { intervalMs: number; timeoutMs: number; signal: AbortSignal; what: string },
): Promise<T> {
  let current = first;
  const deadline = Date.now() + options.timeoutMs;
  while (PENDING.has(current.status)) {
    if (Date.now() >= deadline) {
      throw new RetryableError(`${options.what} is still ${current.status} after ${options.timeoutMs} ms`, {
        code: 'SHIPPO_PENDING',
      });
    }
    await sleep(options.intervalMs, undefined, { signal: options.signal });
    current = await next();
  }
  return current;
}
