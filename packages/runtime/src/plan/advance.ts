import type { CompiledStep } from '../compile/compile-flow';
import { firstFailure } from './continue-on-error';
import { type Decision, NOTHING, type PlannedWrite } from './decision';
import { firstAlone } from './end-step';
import { beginFailure, planCompensation } from './failure';
import type { Planning } from './planning';
import { isAsk, planReady, type ReadyPlan } from './ready';
import { ended, PENDING, skipped } from './records';
import { runError } from './run-error';
import { settle } from './status';

/**
 * The run changed: move it on. Main phase: a failure turns to compensation;
 * else the ready steps start (or are skipped); once every step ended, the
 * output is computed and the run succeeds. Compensating: see failure.ts.
 * onFailure: its steps run in order, then the run fails. Every decision
 * here is idempotent: any worker may plan the same run state any number
 * of times.
 */
export function planChanged(p: Planning): Decision {
  switch (p.run.phase) {
    case 'main':
      return planMain(p);
    case 'compensating':
      return planCompensation(p);
    case 'onFailure':
      return planOnFailure(p);
    case 'done':
      return NOTHING;
  }
}

function planMain(p: Planning): Decision {
  const { flow, run } = p;
  const failed = firstFailure(flow, run);
  if (failed) return beginFailure(p, failed.error, failed.id);
  const ready = planReady(flow.main, run, p.queued, p.facts, p.now);
  if (isAsk(ready)) return { ask: ready };
  if (ready.writes.length > 0 || ready.requeue.length > 0) return releasing(ready);
  if (!allEnded(p, 'main')) return settle(run, p.now);

  let output: unknown;
  if (flow.output) {
    const computed = p.facts.output;
    if (!computed) return { ask: { fact: 'output', run } };
    if ('error' in computed) {
      const error = runError(
        'OUTPUT_EXPRESSION_FAILED',
        `The flow output could not be computed: ${computed.error}`,
        p.secrets,
      );
      return beginFailure(p, error);
    }
    output = computed.value;
  }
  // onFailure steps will not run: say so rather than leave them pending.
  const skips: PlannedWrite[] = [];
  for (const record of run.steps) {
    if (record.phase === 'onFailure' && record.status === 'pending') {
      skips.push({ step: skipped(record, 'the run succeeded', p.now), ifStatus: PENDING });
    }
  }
  return { writes: skips, end: { status: 'succeeded', ...(output !== undefined ? { output } : {}) } };
}

function planOnFailure(p: Planning): Decision {
  const ready = planReady(p.flow.onFailure, p.run, p.queued, p.facts, p.now);
  if (isAsk(ready)) return { ask: ready };
  if (ready.writes.length > 0 || ready.requeue.length > 0) return releasing(ready);
  return allEnded(p, 'onFailure') ? { end: { status: 'failed' } } : NOTHING;
}

/** Starts and skips of ready steps; the lost tasks queued again; then the run planned again. */
function releasing(ready: ReadyPlan): Decision {
  const runNext = firstAlone(ready);
  return {
    writes: ready.writes,
    ...(ready.requeue.length > 0 ? { tasks: ready.requeue } : {}),
    ...(runNext ? { runNext } : {}),
    afterwards: 'changed',
  };
}

/** Whether every step of a phase that the run has a record of ended (see ended()). */
function allEnded(p: Planning, phase: CompiledStep['phase']): boolean {
  const { steps } = p.run;
  for (let i = 0; i < steps.length; i++) {
    const record = steps[i]!;
    if (ended(record)) continue;
    if (p.flow.byId.get(record.id)?.phase === phase) return false;
  }
  return true;
}
