import type { BatonError } from '@baton/sdk';
import type { SerializedError } from '@baton/sdk/host';
import type { EngineEvent } from '../model/events';
import type {
  ApprovalDecision,
  AttemptRecord,
  AuditEntry,
  CloudEvent,
  ItemRecord,
  RunRecord,
  RunStatus,
  SettledStatus,
  StepRecord,
  StepStatus,
} from '../model/run-record';
import type { Task } from '../model/task';
import type { WaitEntry } from '../model/wait';

/** A task of a run (every task but a schedule's tick). */
export type RunTask = Exclude<Task, { kind: 'tick' | 'replay-batch' }>;
export type StepTask = Extract<Task, { kind: 'step' }>;
export type CompensateTask = Extract<Task, { kind: 'compensate' }>;

/** What one call of a route did, as execute/ reports it to the planner. */
export type CallOutcome =
  | { ok: true; output: unknown; attempt: AttemptRecord; input: unknown }
  | { ok: false; error: BatonError; serialized: SerializedError; attempt: AttemptRecord; input?: unknown };

/**
 * A call that was not made: its instance's budget (or a provider's pause)
 * holds it back longer than a worker should wait, so it waits in the queue.
 * Not an attempt.
 */
export interface ThrottledCall {
  throttled: true;
  instance: string;
  reason: 'rate' | 'concurrency' | 'paused';
  waitMs: number;
  /** Provider answers of this attempt that asked to slow down, so far. */
  throttledAnswers: number;
}

/**
 * What just happened to a run: the planner's question. A task arrived from
 * the queue; a call the planner asked for came back; the run changed and
 * may move on; or Baton gave up handling one of its tasks.
 */
export type Happening =
  | {
      kind: 'task';
      task: RunTask;
      /** The task was handed over by the one before it in this worker, not taken from the queue. */
      handedOver?: boolean;
    }
  | { kind: 'called'; task: StepTask | CompensateTask; outcome: CallOutcome }
  /** The call the planner asked for waits for its instance's budget. */
  | { kind: 'throttled'; task: StepTask | CompensateTask; throttle: ThrottledCall }
  /** A forEach item's record was written; `items` is every item of the step as stored after. */
  | { kind: 'item-written'; task: StepTask; item: ItemRecord; items: readonly ItemRecord[] }
  | { kind: 'changed' }
  /** A wait was registered; `matched`: an event within the lookback ended it at once. */
  | { kind: 'wait-registered'; step: string; matched: CloudEvent | undefined }
  /** An approver decided (the admin API, the CLI, the dashboard). */
  | { kind: 'decided'; step: string; decision: ApprovalDecision }
  | { kind: 'task-failed'; error: SerializedError };

/**
 * Values the planner needs but cannot compute itself, because computing them
 * is asynchronous (expressions, reads): it asks for them (`Decision.ask`), the
 * executor gathers them, and the planner is asked again with them.
 */
export interface Facts {
  /** Skip reasons of ready steps with an `if`, by step id (`undefined`: the condition holds). */
  conditions?: ReadonlyMap<string, string | undefined>;
  /** The flow's `output` expression's value, or why it could not be computed. */
  output?: { value: unknown } | { error: string };
  /** A delay step's `until`, evaluated: what it gave, or the evaluation's error message. */
  delayUntil?: { value: unknown } | { error: string };
  /** The forEach list of the task's step, or why there is none. */
  list?: unknown[] | SerializedError;
  /** A wait step's key, evaluated in the run: the value, or why it could not be. */
  waitKey?: { value: unknown } | { error: string };
  /** An approval step's title and details, evaluated in the run. */
  approvalText?: { title: string; details?: string } | { error: string };
  /** The event that resumed a wait step (undefined: none recorded). */
  match?: { event: CloudEvent | undefined };
  /** The stored forEach items of the task's step. */
  items?: readonly ItemRecord[];
  /** The run was read again for this decision (after `ask: run`). */
  fresh?: boolean;
}

/** A fact the planner asks for; `run` is the run to evaluate it against. */
export type Ask =
  | { fact: 'conditions'; steps: readonly string[]; run: RunRecord }
  | { fact: 'output'; run: RunRecord }
  | { fact: 'delayUntil'; step: string; run: RunRecord }
  | { fact: 'list'; step: string; run: RunRecord }
  | { fact: 'items'; step: string }
  | { fact: 'waitKey'; step: string; run: RunRecord }
  | { fact: 'approvalText'; step: string; run: RunRecord }
  | { fact: 'match'; step: string }
  /** The run as stored now: the planner's copy may be older than what it must decide on. */
  | { fact: 'run' };

/** A step record to write, a compare-and-set on its stored status. */
export interface PlannedWrite {
  step: StepRecord;
  /** Written only while the stored record has one of these statuses. @default any */
  ifStatus?: readonly StepStatus[];
  /** When this write is not made, neither is any after it, and the decision stops there. */
  required?: boolean;
  /** Emitted once this write was made. */
  events?: readonly EngineEvent[];
  /** Queued once this write was made. */
  tasks?: readonly Task[];
}

/** A call of one route the executor makes for the planner. */
export interface PlannedCall {
  task: StepTask | CompensateTask;
  /** A forEach item's value, the scope's `item`. */
  item?: { value: unknown };
}

/** The run-level fields a decision writes (the terminal ones only while the run is active). */
export interface RunFields {
  status?: RunStatus;
  phase?: RunRecord['phase'];
  output?: unknown;
  error?: SerializedError;
  startedAt?: string;
  endedAt?: string;
}

/**
 * The planner's answer, applied by execute/ in this order: `ask` (and plan
 * again), `patch`, `writes`, `item`, then — when the patch and the required
 * writes were made — `events`, `tasks`, `runNext`, `end`, `call`, and
 * finally `afterwards`.
 */
export interface Decision {
  ask?: Ask;
  /** Run fields to write first, only while the run is active; when it ended already, nothing else is done. */
  patch?: RunFields;
  /** Step records to write, in order, in one store write. */
  writes?: readonly PlannedWrite[];
  /** The writes after the first are made only when the run is still as stored in this copy. */
  basedOn?: RunRecord;
  /**
   * The run's status after the writes (see settlingWith), written with them
   * when every one is made and the run is still as in `basedOn`.
   */
  status?: SettledStatus;
  /** A forEach item's record to write; the planner then hears `item-written`. */
  item?: { step: string; record: ItemRecord };
  /** Emitted once the patch and the required writes were made (before the writes' own events). */
  events?: readonly EngineEvent[];
  /** Queued once the patch and the required writes were made, after `delayMs` when given. */
  tasks?: readonly Task[];
  delayMs?: number;
  /**
   * The step to run next in this worker, without the queue: made ready by
   * these writes and, once they are all made, the run's one running step.
   * When a write was not made, it is queued instead.
   */
  runNext?: StepTask | undefined;
  /** Appended to the run's audit trail once the required writes were made. */
  audit?: AuditEntry;
  /** A wait to register once the writes were made; the planner then hears `wait-registered`. */
  register?: WaitRegistration;
  /** Waits to drop from the index (they ended otherwise). */
  forget?: readonly WaitEntry[];
  /** The run's terminal transition, made last and once: only while the run is active. */
  end?: { status: 'succeeded' | 'failed' | 'cancelled'; output?: unknown; error?: SerializedError };
  /** A route to call; the planner then hears `called`. */
  call?: PlannedCall;
  /**
   * After applying: `changed` — plan the run as written again; `settle` —
   * when every write was made only the run's running/waiting status may
   * need to follow (else as `changed`); `again` — plan the same happening
   * with the run as written; `item-written` — the planner hears that the
   * decision's `item` was written. Without it, the happening is handled.
   */
  afterwards?: 'changed' | 'settle' | 'again' | 'item-written';
}

/** A wait to register: the step's entry, when it started, and how far back events count. */
export interface WaitRegistration {
  wait: WaitEntry;
  sinceMs: number;
  lookbackMs: number;
}

/** A decision that does nothing. */
export const NOTHING: Decision = Object.freeze({});
