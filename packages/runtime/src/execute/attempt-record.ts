import type { BatonError } from '@baton/sdk';
import { serializeError } from '@baton/sdk/host';
import { isoTime } from '../model/iso-time';
import type { AttemptRecord } from '../model/run-record';
import type { CallOutcome } from '../plan/decision';
import type { CallRequest } from './call-request';
import type { ExecuteContext } from './context';

/** How a call's attempt is recorded (see callRoute). */

/** What one call did, for the step's attempts. */
export function attemptRecord(
  ctx: ExecuteContext,
  request: CallRequest,
  startedAt: string,
  error?: BatonError,
  waitedMs = 0,
  throttled = 0,
): AttemptRecord {
  // The common attempt (no item, error, wait or throttle) in one literal: a conditional spread
  // takes V8's slow path.
  if (request.item === undefined && !error && waitedMs <= 0 && throttled <= 0) {
    return {
      action: request.route.action,
      route: request.routeIndex,
      startedAt,
      endedAt: isoTime(ctx.now()),
    };
  }
  return {
    action: request.route.action,
    route: request.routeIndex,
    ...(request.item !== undefined ? { item: request.item } : {}),
    startedAt,
    endedAt: isoTime(ctx.now()),
    ...(error ? { error: serializeError(error, { secrets: ctx.secrets }) } : {}),
    ...(waitedMs > 0 ? { waitedMs } : {}),
    ...(throttled > 0 ? { throttled } : {}),
  };
}

/** A failed attempt, as the planner hears of it. */
export function failed(
  ctx: ExecuteContext,
  request: CallRequest,
  startedAt: string,
  error: BatonError,
  input?: unknown,
  waitedMs = 0,
  throttled = 0,
): CallOutcome {
  const attempt = attemptRecord(ctx, request, startedAt, error, waitedMs, throttled);
  return {
    ok: false,
    error,
    serialized: attempt.error!,
    attempt,
    ...(input !== undefined ? { input } : {}),
  };
}

/** A provider's wait beyond `limits.maxPause` is not honoured: the error's own wait is cut to it. */
export function capRetryAfter(error: BatonError, maxPauseMs: number): void {
  if (error.retryAfterMs !== undefined && error.retryAfterMs > maxPauseMs) {
    Object.defineProperty(error, 'retryAfterMs', { value: maxPauseMs, configurable: true, writable: true });
  }
}
