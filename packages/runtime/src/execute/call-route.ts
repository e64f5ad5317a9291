import type { ProviderThrottle } from '@baton/sdk';
import { type BatonError, NonRetryableError } from '@baton/sdk';
import {
  CallAbort,
  type ConnectorInstance,
  redactValue,
  serializeError,
  throttleOf,
  toBatonError,
} from '@baton/sdk/host';
import { limitsCalls } from '../compile/budget-policy';
import type { CompiledRoute } from '../compile/compile-flow';
import type { ExpressionScope } from '../expressions/template';
import { actionLogger } from '../log/logger';
import { isoTime } from '../model/iso-time';
import type { AttemptRecord } from '../model/run-record';
import type { CallOutcome, ThrottledCall } from '../plan/decision';
import { admit, report } from './breaker';
import type { ExecuteContext } from './context';
import { endTurn, leaveLine, noteCallTime, pauseInstance, type TurnAsk, turnOf } from './turn';

export interface CallRequest {
  runId: string;
  flow: string;
  step: string;
  route: CompiledRoute;
  routeIndex: number;
  /** 1-based attempt of this route. */
  attempt: number;
  item: number | undefined;
  idempotencyKey: string;
  scope: ExpressionScope;
  /** Throttled answers this attempt already had (in earlier turns). */
  throttled: number;
}

/**
 * One attempt of one route: evaluate its input, pass the breaker, wait for
 * the instance's budget, call the action under the route's timeout and the
 * run's cancellation, report to the breaker, and describe what happened as
 * an attempt record. A call the budget holds back long is not made: it
 * goes back to the queue (`ThrottledCall`). An answer in which the provider
 * asks to slow down pauses the instance and the call waits its turn again:
 * not an attempt, not a breaker failure.
 */
export async function callRoute(
  ctx: ExecuteContext,
  request: CallRequest,
): Promise<CallOutcome | ThrottledCall> {
  const { route } = request;
  const startedAt = isoTime(ctx.now());

  let input: unknown;
  try {
    // A static input is built at once: no promise for the common case.
    input = route.input.build ? route.input.build() : await route.input.evaluate(request.scope);
  } catch (error) {
    return failed(
      ctx,
      request,
      startedAt,
      new NonRetryableError(
        `The input of step "${request.step}" could not be computed: ${(error as Error).message}`,
        {
          code: 'INPUT_EXPRESSION_FAILED',
          cause: error,
        },
      ),
    );
  }
  const recordedInput = ctx.secrets.length > 0 ? redactValue(input, ctx.secrets) : input;
  const instance = ctx.instances.get(route.instance);
  if (!instance) {
    return failed(
      ctx,
      request,
      startedAt,
      new NonRetryableError(`No connector instance "${route.instance}" is configured`, {
        code: 'CONNECTOR_NOT_FOUND',
      }),
      recordedInput,
    );
  }

  const policy = ctx.breakerPolicy(route.instance);
  // A breaker known closed without asking the store lets the call through at once.
  let before = ctx.backend.breakers.peek?.(route.instance);
  if (before?.state !== 'closed') {
    try {
      before = await admit(ctx.backend.breakers, route.instance, policy, ctx.now());
    } catch (error) {
      return failed(ctx, request, startedAt, toBatonError(error), recordedInput);
    }
  }

  // A CallAbort rather than an AbortController: the signal is only made if the action reads it.
  const abort = new CallAbort();
  ctx.inFlight.add(request.runId, abort);
  const budget = ctx.budget(route.instance);
  const turn: TurnAsk = {
    instance: route.instance,
    budget,
    callId: limitsCalls(budget) ? `${request.idempotencyKey}|a${request.attempt}` : '',
    flow: request.flow,
    leaseMs: route.timeoutMs + LEASE_GRACE_MS,
  };
  let throttled = request.throttled;
  try {
    for (;;) {
      const pending = turnOf(ctx, turn, abort);
      const waited = pending instanceof Promise ? await pending : pending;
      if (!waited.ok) {
        return {
          throttled: true,
          instance: route.instance,
          reason: waited.reason,
          waitMs: waited.waitMs,
          throttledAnswers: throttled,
        };
      }
      const answer = await callOnce(ctx, request, instance, input, abort, turn, waited.slot);
      if (answer.ok) {
        if (before.state !== 'closed' || before.failures > 0) {
          await report(ctx.backend.breakers, route.instance, policy, before, { ok: true }, ctx.now());
        }
        return {
          ok: true,
          output: answer.output,
          attempt: attemptRecord(ctx, request, answer.startedAt, undefined, waited.waitedMs, throttled),
          input: recordedInput,
        };
      }
      const { error } = answer;
      // A throttle the connector marked final (a daily quota spent) is its answer, not a pause.
      const throttle = abort.aborted || !error.retryable ? undefined : throttleOf(error);
      if (throttle) {
        // The provider asks the whole instance to slow down: not an attempt, not the breaker's business.
        const pauseMs = Math.min(throttle.pauseMs, turn.budget.maxPauseMs);
        await pauseInstance(ctx, route.instance, pauseMs);
        throttled += 1;
        if (throttle.pauseMs <= turn.budget.maxPauseMs && throttled <= MAX_THROTTLED_ANSWERS) continue;
        // Asked to wait longer than allowed, or again and again: a failed attempt after all,
        // whose retry waits no longer than the ceiling either.
        capRetryAfter(error, turn.budget.maxPauseMs);
      } else {
        await report(
          ctx.backend.breakers,
          route.instance,
          policy,
          before,
          { ok: false, retryable: error.retryable },
          ctx.now(),
        );
      }
      return failed(ctx, request, answer.startedAt, error, recordedInput, waited.waitedMs, throttled);
    }
  } finally {
    if (abort.aborted) leaveLine(ctx, turn);
    ctx.inFlight.remove(request.runId, abort);
  }
}

/** A provider's wait beyond `limits.maxPause` is not honoured: the error's own wait is cut to it. */
function capRetryAfter(error: BatonError, maxPauseMs: number): void {
  if (error.retryAfterMs !== undefined && error.retryAfterMs > maxPauseMs) {
    Object.defineProperty(error, 'retryAfterMs', { value: maxPauseMs, configurable: true, writable: true });
  }
}

/** How long past its timeout a call's budget lease lasts, should its process never give it back. */
const LEASE_GRACE_MS = 5000;
/** Throttled answers one attempt may get before it counts as a failed attempt. */
const MAX_THROTTLED_ANSWERS = 10;

type Answer =
  | { ok: true; output: unknown; startedAt: string }
  | { ok: false; error: BatonError; startedAt: string };

/**
 * One call of the action under the route's timeout, its turn given back
 * when the answer comes. A rate-limit header that says the budget is spent
 * (on any answer) pauses the instance for every worker.
 */
async function callOnce(
  ctx: ExecuteContext,
  request: CallRequest,
  instance: ConnectorInstance,
  input: unknown,
  abort: CallAbort,
  turn: TurnAsk,
  slot: string | undefined,
): Promise<Answer> {
  const { route } = request;
  const startedAt = isoTime(ctx.now());
  let spent: ProviderThrottle | undefined;
  const deadline = ctx.deadlines.start(route.timeoutMs, abort);
  try {
    const output = await instance.invoke(route.actionName, {
      input,
      idempotencyKey: request.idempotencyKey,
      abort,
      log: actionLogger(ctx.log, { run: request.runId, step: request.step, action: route.action }),
      run:
        request.item === undefined
          ? { id: request.runId, flow: request.flow, step: request.step, attempt: request.attempt }
          : {
              id: request.runId,
              flow: request.flow,
              step: request.step,
              attempt: request.attempt,
              item: request.item,
            },
      onThrottle: (throttle) => {
        spent = throttle;
      },
    });
    // A connector that echoes a credential back must not put it in the run record.
    const recorded = ctx.secrets.length > 0 ? redactValue(output, ctx.secrets) : output;
    return { ok: true, output: recorded, startedAt };
  } catch (caught) {
    return { ok: false, error: toBatonError(caught), startedAt };
  } finally {
    deadline.clear();
    endTurn(ctx, turn, slot);
    if (turn.budget.policy.concurrency) noteCallTime(ctx, route.instance, ctx.now() - Date.parse(startedAt));
    if (spent && spent.status !== 429 && spent.status !== 503) {
      await pauseInstance(ctx, route.instance, Math.min(spent.pauseMs, turn.budget.maxPauseMs));
    }
  }
}

/** What one call did, for the step's attempts. */
function attemptRecord(
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

function failed(
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
