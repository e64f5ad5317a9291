/** Reading steps that wait (for an event or a decision); pure, so the tests run it in Node. */
import type { ApprovalDecision, Run, Step, StepApproval, StepWait } from '../api/types';

/** `payment_intent.succeeded from stripe for pi_42`: what a wait step waits for, as people say it. */
export function waitText(wait: StepWait): string {
  return `${wait.event} from ${wait.source} for ${wait.key}`;
}

/** An approval step waiting for a decision: the ones that get Approve and Reject. */
export function awaitsDecision(step: Step): step is Step & { approval: StepApproval } {
  return step.status === 'waiting' && step.approval !== undefined;
}

/** The decision an approval step's output holds, read loosely: the API types outputs as `unknown`. */
export function decisionOf(step: Step): ApprovalDecision | undefined {
  const output = step.output as Partial<ApprovalDecision> | null | undefined;
  if (!step.approval || !output || typeof output !== 'object') return undefined;
  if ((output.decision !== 'approve' && output.decision !== 'reject') || typeof output.by !== 'string')
    return undefined;
  return {
    decision: output.decision,
    by: output.by,
    ...(typeof output.comment === 'string' ? { comment: output.comment } : {}),
    at: typeof output.at === 'string' ? output.at : (step.endedAt ?? ''),
  };
}

/**
 * How a wait or approval step's wait ended, or that it still waits: the
 * label of its timeline bar (`waiting for a decision`, `approved`,
 * `event received`, `timed out` …).
 */
export function waitLabel(step: Step): string {
  const kind = step.approval ? 'decision' : 'event';
  if (step.status === 'waiting') return kind === 'decision' ? 'waiting for a decision' : 'waiting for event';
  if (step.error?.code === 'WAIT_TIMEOUT') return 'timed out';
  const decision = decisionOf(step);
  if (decision) return decision.decision === 'approve' ? 'approved' : 'rejected';
  if (step.status === 'succeeded' && kind === 'event') return 'event received';
  return `wait ${step.status}`;
}

/** One approval waiting for a decision, with the run it belongs to. */
export interface PendingApproval {
  run: Run;
  step: Step & { approval: StepApproval };
}

/** The approval steps of these runs that wait for a decision, the longest waiting first. */
export function pendingApprovals(runs: readonly Run[]): PendingApproval[] {
  return runs
    .flatMap((run) => run.steps.filter(awaitsDecision).map((step) => ({ run, step })))
    .sort((a, b) => Date.parse(a.step.approval.since) - Date.parse(b.step.approval.since));
}
