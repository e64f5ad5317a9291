import type { BatonError, ProviderThrottle } from '@baton/sdk';
import { NonRetryableError } from '@baton/sdk';
import { CallAbort, type InvokeOptions, redactValue, throttleOf, toBatonError } from '@baton/sdk/host';
import { limitsCalls } from '../compile/budget-policy';
import { actionLogger } from '../log/logger';
import { isoTime } from '../model/iso-time';
import type { CallOutcome, ThrottledCall } from '../plan/decision';
import { attemptRecord, capRetryAfter, failed } from './attempt-record';
import { admit, report } from './breaker';
import type { CallRequest } from './call-request';
import type { ExecuteContext } from './context';
import { endTurn, leaveLine, noteCallTime, pauseInstance, type Turn, type TurnAsk, turnOf } from './turn';

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
  // Formatted only for an attempt that fails before its call.
  const startedMs = ctx.now();
  // The clock as the call goes: read again only after a wait (a static input, a breaker known
  // closed and a free turn wait for nothing, and the clock is read a few times less per step).
  let at = startedMs;

  let input: unknown;
  try {
    // A static input is built at once: no promise for the common case.
    if (route.input.build) input = route.input.build();
    else {
      input = await route.input.evaluate(request.scope);
      at = ctx.now();
    }
  } catch (error) {
    return failed(
      ctx,
      request,
      isoTime(startedMs),
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
      isoTime(startedMs),
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
      before = await admit(ctx.backend.breakers, route.instance, policy, at);
      at = ctx.now();
    } catch (error) {
      return failed(ctx, request, isoTime(startedMs), toBatonError(error), recordedInput);
    }
  }

  // A CallAbort rather than an AbortController: the signal is only made if the action reads it.
  const abort = new CallAbort();
  const inFlight = ctx.inFlight.add(request.runId, abort);
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
    for (let turns = 0; ; turns++) {
      if (turns > 0) at = ctx.now();
      const pending = turnOf(ctx, turn, abort, at);
      let waited: Turn;
      if (pending instanceof Promise) {
        waited = await pending;
        at = ctx.now();
      } else waited = pending;
      if (!waited.ok) {
        return {
          throttled: true,
          instance: route.instance,
          reason: waited.reason,
          waitMs: waited.waitMs,
          throttledAnswers: throttled,
        };
      }
      // One call of the action under the route's timeout (in this function, not one of its own:
      // an async frame less per step), its turn given back when the answer comes.
      const calledMs = at;
      const calledAt = isoTime(calledMs);
      let spent: ProviderThrottle | undefined;
      let output: unknown;
      let error: BatonError | undefined;
      const deadline = ctx.deadlines.start(route.timeoutMs, abort);
      try {
        const answer = await instance.invoke(
          route.actionName,
          invokeOptions(ctx, request, input, abort, (throttle) => {
            spent = throttle;
          }),
        );
        // A connector that echoes a credential back must not put it in the run record.
        output = ctx.secrets.length > 0 ? redactValue(answer, ctx.secrets) : answer;
      } catch (caught) {
        error = toBatonError(caught);
      } finally {
        deadline.clear();
        endTurn(ctx, turn, waited.slot);
        if (budget.policy.concurrency) noteCallTime(ctx, route.instance, ctx.now() - calledMs);
      }
      // A rate-limit header that says the budget is spent (on any answer) pauses the instance for every worker.
      if (spent && spent.status !== 429 && spent.status !== 503) {
        await pauseInstance(ctx, route.instance, Math.min(spent.pauseMs, budget.maxPauseMs));
      }
      if (error === undefined) {
        if (before.state !== 'closed' || before.failures > 0) {
          await report(ctx.backend.breakers, route.instance, policy, before, { ok: true }, ctx.now());
        }
        return {
          ok: true,
          output,
          attempt: attemptRecord(ctx, request, calledAt, undefined, waited.waitedMs, throttled),
          input: recordedInput,
        };
      }
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
      return failed(ctx, request, calledAt, error, recordedInput, waited.waitedMs, throttled);
    }
  } finally {
    if (abort.aborted) leaveLine(ctx, turn);
    inFlight.end();
  }
}

/** How long past its timeout a call's budget lease lasts, should its process never give it back. */
const LEASE_GRACE_MS = 5000;
/** Throttled answers one attempt may get before it counts as a failed attempt. */
const MAX_THROTTLED_ANSWERS = 10;

/** What the action is invoked with: its input, its key, and where the call sits. */
function invokeOptions(
  ctx: ExecuteContext,
  request: CallRequest,
  input: unknown,
  abort: CallAbort,
  onThrottle: (throttle: ProviderThrottle) => void,
): InvokeOptions {
  const { route } = request;
  return {
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
    onThrottle,
  };
}
