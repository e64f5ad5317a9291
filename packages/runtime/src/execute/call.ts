import { isTracing } from '@baton/sdk/host';
import type { CompiledFlow } from '../compile/compile-flow';
import { EMPTY_SCOPE, scopeOf } from '../compile/scope';
import { compensationKey, idempotencyKey } from '../model/idempotency';
import type { RunRecord } from '../model/run-record';
import type { CallOutcome, PlannedCall, ThrottledCall } from '../plan/decision';
import { traceAttempt } from '../trace/attempt';
import type { CallRequest } from './call-request';
import { callRoute } from './call-route';
import type { ExecuteContext } from './context';

/** Makes the call a decision asks for: a step's route, a forEach item's, or a compensation. */
export function callPlanned(
  ctx: ExecuteContext,
  flow: CompiledFlow,
  run: RunRecord,
  call: PlannedCall,
): Promise<CallOutcome | ThrottledCall> {
  const { task } = call;
  const step = flow.byId.get(task.step)!;
  // One literal shape for every call: callRoute then sees one hidden class.
  if (task.kind === 'compensate') {
    return attempt(ctx, run, true, {
      runId: run.id,
      flow: run.flow,
      step: step.id,
      route: step.compensate!,
      routeIndex: 0,
      attempt: task.attempt,
      item: undefined,
      idempotencyKey: compensationKey(run.id, step.id),
      scope: scopeOf(run),
      throttled: task.throttled ?? 0,
    });
  }
  const route = step.routes[task.route]!;
  const item = task.item;
  return attempt(ctx, run, false, {
    runId: run.id,
    flow: run.flow,
    step: step.id,
    route,
    routeIndex: task.route,
    attempt: task.attempt,
    item,
    idempotencyKey: idempotencyKey(run.id, step.id, task.route, item),
    scope:
      item !== undefined
        ? scopeOf(run, { item: call.item?.value, index: item })
        : // A static input reads nothing from the run: skip building the scope.
          route.input.isStatic
          ? EMPTY_SCOPE
          : scopeOf(run),
    throttled: task.throttled ?? 0,
  });
}

/** The call, in a span of its own while tracing (see trace/attempt.ts). */
function attempt(
  ctx: ExecuteContext,
  run: RunRecord,
  compensation: boolean,
  request: CallRequest,
): Promise<CallOutcome | ThrottledCall> {
  if (!isTracing()) return callRoute(ctx, request);
  return traceAttempt(run, request, compensation, () => callRoute(ctx, request), ctx.secrets);
}
