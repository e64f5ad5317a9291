import { newRunId } from './ids';
import { isoTime } from './iso-time';
import type { AuditEntry, CloudEvent, ReplayChoice, RunRecord, StepRecord, TriggerKind } from './run-record';

/**
 * What a new run needs to know of its flow: the id and each step's id and
 * phase, in the flow's order (a compiled flow is one).
 */
export interface FlowOutline {
  readonly id: string;
  /** The flow's version, recorded as the run's `flowVersion` (a compiled flow has one). */
  readonly version?: string;
  /** The connector packages of the instances it calls, recorded as the run's `connectors`. */
  readonly connectors?: Readonly<Record<string, string>>;
  readonly steps: readonly { readonly id: string; readonly phase: StepRecord['phase'] }[];
}

/**
 * A fresh run of `flow` for `event`: queued, every step pending; with
 * `orderKey`, in line behind the flow's other runs of that key.
 */
export function newRun(
  flow: FlowOutline,
  event: CloudEvent,
  trigger: TriggerKind,
  now: number,
  audit: AuditEntry[] = [],
  orderKey?: string,
): RunRecord {
  const run: RunRecord = {
    id: newRunId(now),
    flow: flow.id,
    status: 'queued',
    phase: 'main',
    trigger,
    event,
    steps: flow.steps.map(
      (step): StepRecord => ({
        id: step.id,
        phase: step.phase,
        status: 'pending',
        attempts: [],
        route: 0,
        routeAttempts: 0,
      }),
    ),
    createdAt: isoTime(now),
    audit,
  };
  if (orderKey !== undefined) run.orderKey = orderKey;
  if (flow.version !== undefined) run.flowVersion = flow.version;
  if (flow.connectors !== undefined) run.connectors = { ...flow.connectors };
  return run;
}

/**
 * A replay: a new run of the same event that keeps the outputs of the steps
 * that succeeded (and were not compensated) and runs the rest again, with
 * new idempotency keys because it is a new run. With `orderKey` it joins
 * the end of its key's line, as a new arrival. It runs on `flow`'s version:
 * the current one to run the fixed flow, or the original's own.
 */
export function replayRun(
  flow: FlowOutline,
  original: RunRecord,
  now: number,
  audit: AuditEntry,
  orderKey?: string,
  choice: ReplayChoice = { on: 'current' },
  rerun: ReadonlySet<string> = new Set(),
): RunRecord {
  const run = newRun(flow, original.event, 'replay', now, [audit], orderKey);
  run.replayOf = original.id;
  if (choice.on !== 'current' || choice.fromStep) run.replay = choice;
  const previous = new Map(original.steps.map((s) => [s.id, s]));
  run.steps = run.steps.map((step) => {
    const old = previous.get(step.id);
    if (step.phase !== 'main' || old?.status !== 'succeeded' || rerun.has(step.id)) return step;
    return {
      ...step,
      status: 'succeeded',
      reused: true,
      ...(old.output !== undefined ? { output: old.output } : {}),
      ...(old.servedBy ? { servedBy: old.servedBy } : {}),
      ...(old.input !== undefined ? { input: old.input } : {}),
      ...(old.startedAt ? { startedAt: old.startedAt } : {}),
      ...(old.endedAt ? { endedAt: old.endedAt } : {}),
      ...(old.items ? { items: old.items } : {}),
    };
  });
  return run;
}
