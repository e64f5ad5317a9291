import type { CompiledFlow } from '../compile/compile-flow';
import type { RunRecord, StepRecord } from '../model/run-record';

/**
 * The rule of `continueOnError`: a main step that failed for good and does
 * not let the run go on. Run records are in flow order, so the first found
 * is the first in the flow.
 */
export function firstFailure(
  flow: CompiledFlow,
  run: RunRecord,
  /** A record in place of the run's own of the same step (see planReady). */
  overlay?: StepRecord,
): StepRecord | undefined {
  const { steps } = run;
  for (let i = 0; i < steps.length; i++) {
    const stored = steps[i]!;
    const record = overlay !== undefined && overlay.id === stored.id ? overlay : stored;
    if (record.status !== 'failed' || record.phase !== 'main') continue;
    const step = flow.byId.get(record.id);
    if (step && step.phase === 'main' && !step.continueOnError) return record;
  }
  return undefined;
}
