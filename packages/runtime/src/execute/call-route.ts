import { type BatonError, NonRetryableError } from '@baton/sdk';
import { CallAbort, redactValue, serializeError, toBatonError } from '@baton/sdk/host';
import type { CompiledRoute } from '../compile/compile-flow';
import type { ExpressionScope } from '../expressions/template';
import { actionLogger } from '../log/logger';
import { isoTime } from '../model/iso-time';
import type { AttemptRecord } from '../model/run-record';
import type { CallOutcome } from '../plan/decision';
import { admit, report } from './breaker';
import type { ExecuteContext } from './context';

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
}

/**
 * One attempt of one route: evaluate its input, pass the breaker, call the
 * action under the route's timeout and the run's cancellation, report to
 * the breaker, and describe what happened as an attempt record.
 */
export async function callRoute(ctx: ExecuteContext, request: CallRequest): Promise<CallOutcome> {
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
  const timer = setTimeout(() => abort.abort(), route.timeoutMs);
  const tracked = track(ctx, request.runId, abort);
  try {
    const output = await instance.invoke(route.actionName, {
      input,
      idempotencyKey: request.idempotencyKey,
      abort,
      log: actionLogger(ctx.log, { run: request.runId, step: request.step, action: route.action }),
      run: {
        id: request.runId,
        flow: request.flow,
        step: request.step,
        attempt: request.attempt,
        ...(request.item !== undefined ? { item: request.item } : {}),
      },
    });
    if (before.state !== 'closed' || before.failures > 0) {
      await report(ctx.backend.breakers, route.instance, policy, before, { ok: true }, ctx.now());
    }
    // A connector that echoes a credential back must not put it in the run record.
    const recordedOutput = ctx.secrets.length > 0 ? redactValue(output, ctx.secrets) : output;
    return {
      ok: true,
      output: recordedOutput,
      attempt: attemptRecord(ctx, request, startedAt),
      input: recordedInput,
    };
  } catch (caught) {
    const error = toBatonError(caught);
    await report(
      ctx.backend.breakers,
      route.instance,
      policy,
      before,
      { ok: false, retryable: error.retryable },
      ctx.now(),
    );
    return failed(ctx, request, startedAt, error, recordedInput);
  } finally {
    clearTimeout(timer);
    tracked();
  }
}

/** What one call did, for the step's attempts. */
function attemptRecord(
  ctx: ExecuteContext,
  request: CallRequest,
  startedAt: string,
  error?: BatonError,
): AttemptRecord {
  return {
    action: request.route.action,
    route: request.routeIndex,
    ...(request.item !== undefined ? { item: request.item } : {}),
    startedAt,
    endedAt: isoTime(ctx.now()),
    ...(error ? { error: serializeError(error, { secrets: ctx.secrets }) } : {}),
  };
}

function failed(
  ctx: ExecuteContext,
  request: CallRequest,
  startedAt: string,
  error: BatonError,
  input?: unknown,
): CallOutcome {
  const attempt = attemptRecord(ctx, request, startedAt, error);
  return {
    ok: false,
    error,
    serialized: attempt.error!,
    attempt,
    ...(input !== undefined ? { input } : {}),
  };
}

function track(ctx: ExecuteContext, runId: string, controller: CallAbort): () => void {
  let set = ctx.inFlight.get(runId);
  if (!set) {
    set = new Set();
    ctx.inFlight.set(runId, set);
  }
  set.add(controller);
  return () => {
    set.delete(controller);
    if (set.size === 0) ctx.inFlight.delete(runId);
  };
}
