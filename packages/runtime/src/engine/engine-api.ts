import type { ConnectorInstance } from '@baton/sdk/host';
import type { FlowAnalytics } from '../analytics/report';
import type { Backend, BreakerSnapshot, OrderTurn, RunQuery } from '../backend/types';
import type { CompiledFlow } from '../compile/compile-flow';
import type { BreakerConfig, LimitsConfig } from '../config/schema';
import type { Flow } from '../flow/schema';
import type { EngineLogger } from '../log/logger';
import type { EngineListener } from '../model/events';
import type { BulkReplayAnswer, BulkReplayOptions, ReplayFilter, ReplayJob } from '../model/replay-job';
import type { CloudEvent, RunRecord, RunSummary } from '../model/run-record';

export interface ReplayOptions {
  actor?: string;
  /** Which version of the flow the replay runs on. @default 'current' */
  on?: 'current' | 'original';
  /** Rerun from this step (it and what depends on it); the steps before keep their outputs. */
  fromStep?: string;
}

export interface EngineOptions {
  flows: Iterable<CompiledFlow>;
  /** Connector instances by name, as flows call them (`<name>.<action>`). */
  instances: ReadonlyMap<string, ConnectorInstance>;
  backend: Backend;
  log?: EngineLogger;
  /** Breaker settings per connector instance. */
  breakers?: Readonly<Record<string, BreakerConfig | undefined>>;
  /** Provider limits by connector instance (`limits` in the config), over the connectors' declared defaults. */
  limits?: Readonly<Record<string, LimitsConfig | undefined>>;
  /** How long an event id is remembered. @default 24h */
  dedupWindowMs?: number;
  /** A schedule tick later than this is dropped unless the flow asks to catch up. @default 60000 */
  lateTickToleranceMs?: number;
  now?: () => number;
}

/** What `dispatch` answers: the gateway's 202 (or 200 for a duplicate) body. */
export interface DispatchResult {
  eventId: string;
  runs: Array<{ flow: string; runId: string }>;
  /** The waiting steps the event ended; their runs go on. */
  resumed?: Array<{ flow: string; runId: string; step: string }>;
  duplicate: boolean;
}

/** An approver's answer to an approval step. */
export interface DecisionInput {
  decision: 'approve' | 'reject';
  /** Who decides. @default 'api' */
  by?: string;
  comment?: string;
}

/**
 * A run as `getRun` answers it: the stored record and, while it is queued
 * behind another run of its order key, `waitingFor` (worked out when read).
 */
export type RunView = RunRecord & { waitingFor?: OrderTurn };

/** What `replay` answers: the run that replays the given one. */
export interface ReplayResult {
  runId: string;
  /** True when the run had been replayed already: `runId` is that earlier replay. */
  duplicate?: true;
}

export interface Engine {
  readonly flows: ReadonlyMap<string, CompiledFlow>;
  readonly backend: Backend;
  /**
   * Routes an event to its flows and records it with their runs, dropping
   * duplicates. `dataJson`: the event's data as JSON text when the caller
   * has it (a webhook's body), so it is not serialized again.
   */
  dispatch(event: CloudEvent, options?: { dataJson?: string }): Promise<DispatchResult>;
  /** Starts a flow by hand with `data` as the event data. */
  trigger(
    flowId: string,
    data: unknown,
    options?: { actor?: string; eventType?: string },
  ): Promise<{ runId: string }>;
  /** Starts one flow for a given event, whatever its trigger says (its orderKey too): `baton run`. */
  startRun(flowId: string, event: CloudEvent, options?: { actor?: string }): Promise<{ runId: string }>;
  /**
   * A new run of a failed or cancelled run's event, reusing the outputs of
   * the steps that succeeded. A run is replayed at most once: when it
   * already was (or is being replayed by a concurrent call, in any
   * process), the answer names that replay, with `duplicate: true`.
   */
  /**
   * Replays a failed or cancelled run: on the flow's current version unless
   * `on: 'original'` (the version the run ran on); with `fromStep`, that
   * step and every step that needs it run again, the others that succeeded
   * keep their outputs.
   */
  replay(runId: string, options?: ReplayOptions): Promise<ReplayResult>;
  /**
   * Bulk replay: the failed (or cancelled) runs `filter` matches that were
   * not replayed yet. A dry run counts them and shows a sample; otherwise a
   * replay job replays each once, at `rate` runs per second, on whichever
   * worker takes its batches (progress: `replayJob`). While a job for the
   * same filter runs, the request answers that job and starts nothing.
   */
  replayMatching(filter: ReplayFilter, options?: BulkReplayOptions): Promise<BulkReplayAnswer>;
  /** A bulk replay job and its progress; undefined when unknown or expired. */
  replayJob(jobId: string): Promise<ReplayJob | undefined>;
  /**
   * Decides an approval step waiting for a decision: `approve` ends it (its
   * output is the decision), `reject` fails it with APPROVAL_REJECTED; either
   * is recorded in the run's audit trail with who and when. Throws
   * STEP_NOT_WAITING when the step is not waiting (decided already, timed out).
   */
  decide(runId: string, stepId: string, decision: DecisionInput): Promise<RunRecord>;
  /** Stops a run: nothing more starts, calls in flight here are aborted. */
  cancel(runId: string, options?: { actor?: string }): Promise<RunRecord>;
  getRun(runId: string): Promise<RunView | undefined>;
  listRuns(query?: RunQuery): Promise<{ runs: RunSummary[]; next?: string }>;
  /** Resolves with the run once it ended. */
  waitForRun(runId: string, options?: { timeoutMs?: number }): Promise<RunRecord>;
  /** Starts taking tasks from the queue. */
  startWorker(options?: { concurrency?: number }): void;
  /** Registers the flows' schedules with the backend. */
  startSchedules(): Promise<void>;
  /**
   * Makes `flows` the current versions for new runs (events, schedules and
   * triggers by hand route to them) in this process and, through the
   * backend, in every process of the hub; their definitions are stored in
   * the backend. Runs in flight keep the version they started with.
   * Answers each flow with its version. Validate before: this applies.
   */
  reload(flows: CompiledFlow[]): Promise<{ flows: Array<{ id: string; version: string }> }>;
  /** A version's definition, while a run uses it or it is current; for showing and comparing versions. */
  flowVersion(flowId: string, version: string): Promise<Flow | undefined>;
  breakerStates(): Promise<Record<string, BreakerSnapshot>>;
  /**
   * A flow's analytics over `since` to `until` (epoch ms; `until` defaults
   * to now): runs by status, success rate, duration percentiles of the run
   * and of each step (estimates from histogram buckets), retries,
   * fallbacks, waiting time, breaker openings and the top error codes,
   * summed from the counters runs added as they ended, in whole minute or
   * hour buckets (see `spanOf`). Throws FLOW_NOT_FOUND for a flow that is
   * not current, and a RangeError for a window `spanOf` refuses.
   */
  flowAnalytics(flowId: string, window: { since: number; until?: number }): Promise<FlowAnalytics>;
  on(listener: EngineListener): () => void;
  /** Stops taking tasks, lets those in hand finish within `drainMs`, stops schedules. */
  stop(options?: { drainMs?: number }): Promise<void>;
}
