import { apply } from '../execute/apply';
import type { ExecuteContext } from '../execute/context';
import { drive } from '../execute/drive';
import { isoTime } from '../model/iso-time';
import type { ApprovalDecision, RunRecord } from '../model/run-record';
import { plan } from '../plan/plan';
import type { DecisionInput } from './engine-api';
import { EngineError } from './engine-error';

/**
 * An approver's decision: planned (plan/waiting.ts), written as a
 * compare-and-set from `waiting` so that of two decisions at once one wins
 * and the other is refused, then the run moved on in this process (it
 * writes and queues; no call is made here).
 */
export async function decideApproval(
  ctx: ExecuteContext,
  requireRun: (runId: string) => Promise<RunRecord>,
  runId: string,
  stepId: string,
  input: DecisionInput,
): Promise<RunRecord> {
  const run = await requireRun(runId);
  const flow = await ctx.flowOf(run);
  const step = flow?.byId.get(stepId);
  const record = run.steps.find((r) => r.id === stepId);
  if (!record) throw new EngineError('STEP_NOT_FOUND', `Run "${runId}" has no step "${stepId}"`);
  if (step?.kind !== 'approval' || record.status !== 'waiting') {
    throw new EngineError(
      'STEP_NOT_WAITING',
      `Step "${stepId}" of run "${runId}" is not waiting for a decision (it is ${record.status})`,
    );
  }
  const decision: ApprovalDecision = {
    decision: input.decision,
    by: input.by ?? 'api',
    ...(input.comment !== undefined ? { comment: input.comment } : {}),
    at: isoTime(ctx.now()),
  };
  const planned = plan({ flow, run, happened: { kind: 'decided', step: stepId, decision }, now: ctx.now() });
  const applied = await apply(ctx, run, planned, { mayHandOver: false, queued: [] });
  if (!applied) {
    throw new EngineError('STEP_NOT_WAITING', `Step "${stepId}" of run "${runId}" was decided already`);
  }
  if (planned.afterwards) await drive(ctx, runId, { kind: 'changed' }, { run: applied.run });
  return (await ctx.backend.runs.get(runId)) ?? applied.run;
}
