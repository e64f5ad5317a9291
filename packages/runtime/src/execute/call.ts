import type { CompiledFlow } from '../compile/compile-flow';
import { EMPTY_SCOPE, scopeOf } from '../compile/scope';
import { compensationKey, idempotencyKey } from '../model/idempotency';
import type { RunRecord } from '../model/run-record';
import type { CallOutcome, PlannedCall } from '../plan/decision';
import { callRoute } from './call-route';
import type { ExecuteContext } from './context';

/** Makes the call a decision asks for: a step's route, a forEach item's, or a compensation. */
export function callPlanned(
  ctx: ExecuteContext,
  flow: CompiledFlow,
  run: RunRecord,
  call: PlannedCall,
): Promise<CallOutcome> {
  const { task } = call;
  const step = flow.byId.get(task.step)!;
  const base = { runId: run.id, flow: run.flow, step: step.id, attempt: task.attempt };
  if (task.kind === 'compensate') {
    return callRoute(ctx, {
      ...base,
      route: step.compensate!,
      routeIndex: 0,
      idempotencyKey: compensationKey(run.id, step.id),
      scope: scopeOf(run),
    });
  }
  const route = step.routes[task.route]!;
  if (task.item !== undefined) {
    return callRoute(ctx, {
      ...base,
      route,
      routeIndex: task.route,
      item: task.item,
      idempotencyKey: idempotencyKey(run.id, step.id, task.route, task.item),
      scope: scopeOf(run, { item: call.item?.value, index: task.item }),
    });
  }
  return callRoute(ctx, {
    ...base,
    route,
    routeIndex: task.route,
    idempotencyKey: idempotencyKey(run.id, step.id, task.route),
    // A static input reads nothing from the run: skip building the scope.
    scope: route.input.isStatic ? EMPTY_SCOPE : scopeOf(run),
  });
}
