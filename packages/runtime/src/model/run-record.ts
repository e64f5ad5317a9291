import type { SerializedError, TraceCarrier } from '@baton/sdk/host';

/**
 * What Baton records about a run. The admin API returns these shapes (see
 * CONTRACT.md, `GET /api/runs/:id`); backends store them.
 */

/** A CloudEvents-shaped event: what a webhook, a schedule tick or a manual trigger becomes. */
export interface CloudEvent {
  specversion: '1.0';
  /** The sender's event id (`webhook-id`, Stripe's `id`, `X-GitHub-Delivery` …). */
  id: string;
  /** The source's name in baton.config.json (`schedule` and `manual` for those triggers). */
  source: string;
  /** The event type (`order.created`, `push` …). */
  type: string;
  /** ISO 8601. */
  time: string;
  /** The parsed body. */
  data: unknown;
}

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
/** The statuses of a run between its start and its end, which its steps decide (plan/status.ts). */
export type SettledStatus = Extract<RunStatus, 'running' | 'waiting'>;
export type StepStatus =
  | 'pending'
  | 'running'
  /** A wait or approval step waiting for its event or decision; no worker holds it. */
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'compensated';

/** One call of an action: the primary route, a fallback, or a compensation. */
export interface AttemptRecord {
  /** `<instance>.<action>` that was called. */
  action: string;
  /** 0 for the step's own action, 1 for its first fallback, … */
  route: number;
  /** The forEach item, when the step loops. */
  item?: number;
  startedAt: string;
  endedAt: string;
  error?: SerializedError;
  /** How long the call waited for its turn under the instance's budget or a provider's pause (ms). */
  waitedMs?: number;
  /** Answers before this one in which the provider asked to slow down: not attempts, not retried. */
  throttled?: number;
}

/** A step whose call waits in the queue for its turn under its instance's budget. */
export interface ThrottleRecord {
  /** The connector instance. */
  instance: string;
  /** What holds it back: the rate, the concurrency, or a pause the provider asked for. */
  reason: 'rate' | 'concurrency' | 'paused';
  /** When the step started waiting. */
  since: string;
  /** When it asks again. */
  until: string;
  /** How many times it went back to the queue (tasks of older turns are stale). */
  turn: number;
}

/** One forEach item. */
export interface ItemRecord {
  index: number;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  output?: unknown;
  error?: SerializedError;
  /** Which route is being tried, and how many attempts it has had. */
  route: number;
  routeAttempts: number;
  attempts: AttemptRecord[];
}

export interface CompensationRecord {
  status: 'running' | 'succeeded' | 'failed';
  action: string;
  attempts: AttemptRecord[];
  error?: SerializedError;
}

export interface StepRecord {
  id: string;
  /** `main` steps run first; `onFailure` steps run after a failed run was compensated. */
  phase: 'main' | 'onFailure';
  status: StepStatus;
  /** The evaluated input of the primary route, secrets redacted. */
  input?: unknown;
  output?: unknown;
  error?: SerializedError;
  attempts: AttemptRecord[];
  /** The action that produced the output (the fallback that served, when one did). */
  servedBy?: string;
  /** Route being tried and attempts it had, for steps without forEach. */
  route: number;
  routeAttempts: number;
  /** When the next attempt or the end of a delay is due (the step is parked until then). */
  wakeAt?: string;
  startedAt?: string;
  endedAt?: string;
  /** When `skipped`: why. */
  skipReason?: string;
  /** forEach: how many items, and how far along. */
  items?: { total: number; succeeded: number; failed: number };
  /** The step's output came from the run this one replays. */
  reused?: boolean;
  compensation?: CompensationRecord;
  /** A wait step, once it started waiting: the event it waits for. */
  wait?: WaitRecord;
  /** An approval step, once it started waiting: what the approver is asked. */
  approval?: ApprovalRecord;
  /** While the step's call waits in the queue for its instance's budget. */
  throttle?: ThrottleRecord;
}

/** What a wait step waits for: an event of `source` and type `event` whose key is `key`. */
export interface WaitRecord {
  source: string;
  event: string;
  /** The key, as evaluated when the wait started. */
  key: string;
  /** When the wait started; with the step's lookback, events since then count. */
  since: string;
  /** When the wait times out, if it does. */
  timeoutAt?: string;
}

/** What an approval step asks, and when it stops waiting for an answer. */
export interface ApprovalRecord {
  title: string;
  details?: string;
  since: string;
  timeoutAt?: string;
}

/** An approver's answer: an approval step's output. */
export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  by: string;
  comment?: string;
  at: string;
}

/** Who did what to a run, for replay and cancel. */
export interface AuditEntry {
  action: 'trigger' | 'replay' | 'cancel' | 'approve' | 'reject';
  actor: string;
  at: string;
  detail?: string;
}

export type TriggerKind = 'webhook' | 'schedule' | 'manual' | 'replay';

export interface RunRecord {
  id: string;
  flow: string;
  status: RunStatus;
  /** Where the run stands: its steps, compensation, the onFailure steps, or done. */
  phase: 'main' | 'compensating' | 'onFailure' | 'done';
  trigger: TriggerKind;
  event: CloudEvent;
  steps: StepRecord[];
  output?: unknown;
  error?: SerializedError;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** The run this one replays. */
  replayOf?: string;
  /** A replay: which version of the flow it runs on, and the step it was rerun from, if one was chosen. */
  replay?: ReplayChoice;
  /** The run that replays this one: set once, so a run is replayed at most once. */
  replayedBy?: string;
  audit: AuditEntry[];
  /**
   * The flow's `trigger.orderKey` as evaluated on the event (long keys by
   * their SHA-256): the flow's runs with the same key run one at a time, in
   * arrival order. Absent: the run is not ordered.
   */
  orderKey?: string;
  /**
   * The version of its flow the run started with (the flow's content hash):
   * it runs to its end on that version. Absent on runs recorded before
   * versions existed: they run on the current version.
   */
  flowVersion?: string;
  /**
   * The trace the run belongs to, while tracing was on when it was made:
   * the W3C context every span of its work (in any process, however much
   * later) is parented on, so no span stays open while the run waits.
   */
  trace?: TraceCarrier;
  /**
   * The connector packages (`name@version`) of the instances the run's flow
   * calls, by instance, as the process that made the run had them loaded.
   * Absent for instances whose module belongs to no package.
   */
  connectors?: Record<string, string>;
}

/**
 * How a replay was made: on the flow's current version (the default: one
 * replays after a fix) or on the version the original ran on; and, when
 * chosen, the step it reruns from (that step and every step after it run
 * again; the ones before keep their outputs).
 */
export interface ReplayChoice {
  on: 'current' | 'original';
  fromStep?: string;
}

/** A run without its steps and event, for lists. */
export interface RunSummary {
  id: string;
  flow: string;
  status: RunStatus;
  trigger: TriggerKind;
  eventId: string;
  eventType: string;
  createdAt: string;
  endedAt?: string;
  error?: SerializedError;
  replayOf?: string;
  replayedBy?: string;
}

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const ENDED_STEP_STATUSES: ReadonlySet<StepStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'compensated',
]);

export function summarize(run: RunRecord): RunSummary {
  return {
    id: run.id,
    flow: run.flow,
    status: run.status,
    trigger: run.trigger,
    eventId: run.event.id,
    eventType: run.event.type,
    createdAt: run.createdAt,
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.replayOf ? { replayOf: run.replayOf } : {}),
    ...(run.replayedBy ? { replayedBy: run.replayedBy } : {}),
  };
}

/** Every field of a run record, in the order copyRun() builds them. */
const RUN_FIELDS = [
  'id',
  'flow',
  'status',
  'phase',
  'trigger',
  'event',
  'steps',
  'output',
  'error',
  'createdAt',
  'startedAt',
  'endedAt',
  'replayOf',
  'replay',
  'replayedBy',
  'audit',
  'orderKey',
  'flowVersion',
  'trace',
  'connectors',
] as const;
// A field added to RunRecord must be added above too: this line stops compiling until it is.
const everyRunField: Exclude<keyof RunRecord, (typeof RUN_FIELDS)[number]> extends never ? true : never =
  true;
void everyRunField;

/**
 * `{ ...run, ...changes }`, built field by field in one order. The engine
 * copies a run on every step, and runs reach it in several shapes (fields
 * present or not): V8 spreads such objects the slow way, and the copies
 * then differ in shape too. Optional fields left undefined are omitted.
 * Each field is looked up in `changes` by its own name: one lookup with a
 * variable key for every field was a tenth of a step's CPU.
 */
export function copyRun(run: RunRecord, changes?: Partial<RunRecord>): RunRecord {
  if (changes === undefined) return withSteps(run, run.steps);
  const c = changes;
  const next: RunRecord = {
    id: 'id' in c ? c.id! : run.id,
    flow: 'flow' in c ? c.flow! : run.flow,
    status: 'status' in c ? c.status! : run.status,
    phase: 'phase' in c ? c.phase! : run.phase,
    trigger: 'trigger' in c ? c.trigger! : run.trigger,
    event: 'event' in c ? c.event! : run.event,
    steps: 'steps' in c ? c.steps! : run.steps,
    createdAt: 'createdAt' in c ? c.createdAt! : run.createdAt,
    audit: 'audit' in c ? c.audit! : run.audit,
  };
  const output = 'output' in c ? c.output : run.output;
  if (output !== undefined) next.output = output;
  const error = 'error' in c ? c.error : run.error;
  if (error !== undefined) next.error = error;
  const startedAt = 'startedAt' in c ? c.startedAt : run.startedAt;
  if (startedAt !== undefined) next.startedAt = startedAt;
  const endedAt = 'endedAt' in c ? c.endedAt : run.endedAt;
  if (endedAt !== undefined) next.endedAt = endedAt;
  const replayOf = 'replayOf' in c ? c.replayOf : run.replayOf;
  if (replayOf !== undefined) next.replayOf = replayOf;
  const replay = 'replay' in c ? c.replay : run.replay;
  if (replay !== undefined) next.replay = replay;
  const replayedBy = 'replayedBy' in c ? c.replayedBy : run.replayedBy;
  if (replayedBy !== undefined) next.replayedBy = replayedBy;
  const orderKey = 'orderKey' in c ? c.orderKey : run.orderKey;
  if (orderKey !== undefined) next.orderKey = orderKey;
  const flowVersion = 'flowVersion' in c ? c.flowVersion : run.flowVersion;
  if (flowVersion !== undefined) next.flowVersion = flowVersion;
  const trace = 'trace' in c ? c.trace : run.trace;
  if (trace !== undefined) next.trace = trace;
  const connectors = 'connectors' in c ? c.connectors : run.connectors;
  if (connectors !== undefined) next.connectors = connectors;
  return next;
}

/** `copyRun(run, { steps })`, the copy of every step: nothing to look up in a changes object. */
export function withSteps(run: RunRecord, steps: StepRecord[]): RunRecord {
  const next: RunRecord = {
    id: run.id,
    flow: run.flow,
    status: run.status,
    phase: run.phase,
    trigger: run.trigger,
    event: run.event,
    steps,
    createdAt: run.createdAt,
    audit: run.audit,
  };
  if (run.output !== undefined) next.output = run.output;
  if (run.error !== undefined) next.error = run.error;
  if (run.startedAt !== undefined) next.startedAt = run.startedAt;
  if (run.endedAt !== undefined) next.endedAt = run.endedAt;
  if (run.replayOf !== undefined) next.replayOf = run.replayOf;
  if (run.replay !== undefined) next.replay = run.replay;
  if (run.replayedBy !== undefined) next.replayedBy = run.replayedBy;
  if (run.orderKey !== undefined) next.orderKey = run.orderKey;
  if (run.flowVersion !== undefined) next.flowVersion = run.flowVersion;
  if (run.trace !== undefined) next.trace = run.trace;
  if (run.connectors !== undefined) next.connectors = run.connectors;
  return next;
}
