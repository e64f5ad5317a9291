import type { CompiledFlow } from '../compile/compile-flow';
import type { RunRecord, StepRecord } from '../model/run-record';

/**
 * The rule of `continueOnError`: a main step that failed for good and does
 * not let the run go on. Run records are in flow order, so the first found
 * is the first in the flow.
 */
export function firstFailure(flow: CompiledFlow, run: RunRecord): StepRecord | undefined {
  const { steps } = run;
  for (let i = 0; i < steps.length; i++) {
    const record = steps[i]!;
    if (record.status !== 'failed' || record.phase !== 'main') continue;
    const step = flow.byId.get(record.id);
    if (step && step.phase === 'main' && !step.continueOnError) return record;
  }
  return undefined;
}
