import type { CredentialStore } from '@baton/sdk/host';
import type { AnalyticsCounts } from '../analytics/fields';
import type { RunFigures } from '../analytics/run-figures';
import type { AnalyticsSpan } from '../analytics/tiers';
import type { BudgetPolicy } from '../model/budget';
import type { EngineEvent } from '../model/events';
import type { ReplayJob, ReplayOutcome } from '../model/replay-job';
import type {
  AuditEntry,
  CloudEvent,
  ItemRecord,
  RunRecord,
  RunStatus,
  RunSummary,
  SettledStatus,
  StepRecord,
  StepStatus,
} from '../model/run-record';
import type { Task } from '../model/task';
import type { WaitEntry } from '../model/wait';

export type { BudgetPolicy, WaitEntry };

/**
 * What a backend provides the engine: a run store, a task queue, shared
 * circuit breakers, event deduplication, schedules and rate limits. The
 * embedded backend keeps them in process memory; the Redis backend in Redis
 * (with BullMQ for the queue). The same engine and the same behaviour
 * suite run on both.
 */
export interface Backend {
  readonly name: 'embedded' | 'redis';
  /** False when a crash loses state: the embedded backend. */
  readonly durable: boolean;
  readonly runs: RunStore;
  readonly queue: TaskQueue;
  readonly breakers: BreakerStore;
  readonly events: EventLog;
  readonly limiter: RateLimiter;
  /** Provider budgets of connector instances (`limits` in the config), shared by every worker. */
  readonly budgets: BudgetStore;
  readonly waits: WaitStore;
  readonly schedules: ScheduleClock;
  /**
   * Connector instances' OAuth2 tokens, shared by every process of the hub
   * (in memory on the embedded backend; in Redis, encrypted with
   * BATON_CREDENTIALS_KEY, on the Redis backend).
   */
  readonly credentials: CredentialStore;
  /** Bulk replay jobs: their run ids and progress, shared by every worker. */
  readonly replayJobs: ReplayJobStore;
  /** Tells every process of the hub that a run was cancelled, so each aborts its calls in flight. */
  readonly signals?: CancelSignals;
  /** The engine events of every process of the hub, for live views (the dashboard's stream). */
  readonly live?: LiveEventBus;
  /** The definitions of the flows' versions that runs use, and which version of each flow is current. */
  readonly flowVersions: FlowVersionStore;
  /** Flow analytics: counters and duration histograms per flow and time bucket, added to as runs end. */
  readonly analytics: AnalyticsStore;
  /**
   * A partitioned backend (Redis with BATON_REDIS_PARTITIONS > 1): gives new
   * runs ids in the partition they must live in, beside the event that
   * starts them or the run they replay. Called before anything reads the
   * runs' ids; absent where every run lives in one place.
   */
  placeRuns?(runs: readonly RunRecord[], home: RunHome): void;
  /** Throws when the backend cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where new runs go: beside an event's dedup entry, or beside the run they replay. */
export type RunHome = { source: string; eventId: string } | { runId: string };

/**
 * Cancel notices between processes: a run cancelled by one process aborts
 * that run's calls in flight in all the others. Delivery is best effort
 * (a process that misses one still stops at the run's next step, whose
 * record says cancelled).
 */
export interface CancelSignals {
  publishCancel(runId: string): Promise<void>;
  /** Calls `listener` for each cancel published by any process, this one included; returns an unsubscribe. */
  onCancel(listener: (runId: string) => void): () => void;
}

/**
 * Engine events between the processes of a hub, so that a gateway's live
 * stream shows runs moved by any worker. Delivery is best effort and the
 * events are hints, not records: a reader that missed some refetches the
 * runs, which stay the truth. Events are bounded before they leave the
 * process (see `liveEventOf`).
 */
export interface LiveEventBus {
  /** True when events published here reach every process of the hub (Redis); false when only this one. */
  readonly fleetWide: boolean;
  /** This process's name on the bus: a subscriber tells its own process's events by it. */
  readonly origin: string;
  /** Events that could not be sent (the store unreachable or slow, an event over the size bound). */
  readonly dropped: number;
  /** Sends an event to every subscriber of the hub, this process's included. Never throws, never waits. */
  publish(event: EngineEvent): void;
  /**
   * Calls `listener` with each event any process publishes, with the
   * publisher's origin; `onGap` when events may have been missed (the
   * connection to the store came back after a loss).
   */
  subscribe(listener: LiveListener, onGap?: () => void): LiveSubscription;
}

/** Receives a live event and the origin of the process that published it. */
export type LiveListener = (event: EngineEvent, origin: string) => void;

/** One subscriber of a `LiveEventBus`. */
export interface LiveSubscription {
  /**
   * Resolves true once events of every process reach the listener, false
   * when that could not be confirmed within a few seconds (the store is
   * unreachable: events flow once it is back).
   */
  readonly ready: Promise<boolean>;
  close(): void;
}

/**
 * Flow definitions by version, shared by every process of the hub: a run
 * runs to its end on the version it started with, whichever process takes
 * its tasks, and a process needs no flow files to follow a reload.
 */
export interface FlowVersionStore {
  /** Stores a version's definition (the flow as JSON); a version stored already stays as it is. */
  put(flowId: string, version: string, json: string): Promise<void>;
  /** A version's definition (the flow as JSON), while it is kept. */
  get(flowId: string, version: string): Promise<string | undefined>;
  /** The current version of each flow, by flow id: what new runs start on. */
  current(): Promise<Record<string, string>>;
  /** Makes these the current versions; flows not named stop being current. */
  setCurrent(current: Readonly<Record<string, string>>): Promise<void>;
  /**
   * Drops the definitions that no current flow and no retained run uses
   * and that stopped being current more than `graceMs` ago (a process that
   * has not yet switched may still start runs on them). Answers how many
   * were dropped. Reads every retained run's version: O(retained runs).
   */
  prune(options?: { graceMs?: number }): Promise<number>;
  /** Tells every process (this one included) that the current versions changed. */
  publishReload(): Promise<void>;
  /** Calls `listener` on each reload published by any process; returns an unsubscribe. */
  onReload(listener: () => void): () => void;
}

/**
 * Flow analytics, shared by every process of the hub: per flow and per time
 * bucket (minutes and hours, see analytics/tiers.ts), counters and fixed
 * duration histograms that each ended run adds to, in one write. Buckets
 * expire on their own; reading a window costs one read per bucket in it,
 * whatever the number of runs. Best effort: a process that crashes between
 * a run's end and its write loses that run's figures.
 */
export interface AnalyticsStore {
  /** Adds an ended run to its flow's minute and hour buckets (those of `figures.endedAt`). */
  record(figures: RunFigures): Promise<void>;
  /** Counts an opening of a connector instance's circuit breaker at `at` (epoch ms). */
  recordBreakerOpening(instance: string, at: number): Promise<void>;
  /** A flow's counters summed over the span's buckets (the expired ones count nothing). */
  read(flow: string, span: AnalyticsSpan): Promise<AnalyticsCounts>;
  /** Breaker openings over the span's buckets, by connector instance. */
  breakerOpenings(span: AnalyticsSpan): Promise<Map<string, number>>;
}

export interface RunQuery {
  flow?: string;
  status?: RunStatus;
  /** Only runs created at or after this ISO time. */
  since?: string;
  /** @default 50 */
  limit?: number;
  /** Opaque: the `next` of the previous page. */
  cursor?: string;
}

/**
 * Runs, stored so that the writers of one run never overwrite each other:
 * each step and each forEach item is its own record, written only by the
 * task that owns it. Every write is idempotent, so a task delivered twice
 * (after a crash) does no harm.
 */
export interface RunStore {
  /** Stores new runs. */
  create(runs: readonly RunRecord[]): Promise<void>;
  get(id: string): Promise<RunRecord | undefined>;
  /**
   * Replaces one step's record and returns the whole run as it is after the
   * write. With `ifStatus`, writes only while the stored record has one of
   * those statuses (and returns undefined otherwise): the compare-and-set
   * that lets exactly one worker start, skip or end a step.
   */
  putStep(
    runId: string,
    step: StepRecord,
    options?: { ifStatus?: readonly StepStatus[] },
  ): Promise<RunRecord | undefined>;
  /**
   * Writes several step records at once, in order, each with its own
   * compare-and-set (`ifStatus`, as in putStep); once a `required` write is
   * not made, none after it is. With `basedOn` (a run as this store returned
   * it, which the writes were planned from), the writes after the first are
   * only made when nothing changed the run since that copy. A step's end and
   * the starts it makes ready thus cost one write. With `status` (and
   * `basedOn`), the run's status moves between running and waiting in the
   * same write, when every write was made and the run was still as in
   * `basedOn`: a step that parks and the run that waits with it are never
   * seen apart. Returns which writes were made and, when any was, the run
   * as it is afterwards; undefined when the run does not exist.
   */
  putSteps(
    runId: string,
    writes: readonly StepWrite[],
    options?: PutStepsOptions,
  ): Promise<{ written: boolean[]; run?: RunRecord } | undefined>;
  /** Replaces one forEach item's record and returns every item of that step written so far. */
  putItem(runId: string, stepId: string, item: ItemRecord): Promise<ItemRecord[]>;
  /** The items of a forEach step written so far. */
  items(runId: string, stepId: string): Promise<ItemRecord[]>;
  /**
   * Updates run-level fields and returns the run. With `onlyIfActive`, does
   * nothing (and returns undefined) when the run already ended: terminal
   * transitions (succeeded, failed, cancelled) happen once.
   */
  patch(runId: string, patch: RunPatch, options?: { onlyIfActive?: boolean }): Promise<RunRecord | undefined>;
  list(query: RunQuery): Promise<{ runs: RunSummary[]; next?: string }>;
  /** Counts by status, for metrics and the dashboard. */
  counts(): Promise<Record<RunStatus, number>>;
  /**
   * Where an ordered run stands in its key's line (the runs of its flow
   * with the same `orderKey`, in arrival order; the first holds the key):
   * undefined when it is not ordered, not in line (it ended), or first.
   */
  turn(run: Pick<RunRecord, 'id' | 'flow' | 'orderKey'>): Promise<OrderTurn | undefined>;
}

/** An ordered run waiting for its turn: behind the run that holds its key. */
export interface OrderTurn {
  orderKey: string;
  /** The run that holds the key: first in line, running or about to. */
  behind: string;
  /** How many runs are ahead of this one, the one holding the key included. */
  ahead: number;
}

/** The options of `RunStore.putSteps`. */
export interface PutStepsOptions {
  /** The run as this store returned it, which the writes were planned from. */
  basedOn?: RunRecord;
  /** The run's status after the writes, set with them (only from running or waiting, only with `basedOn`). */
  status?: SettledStatus;
}

/** One write of `RunStore.putSteps`. */
export interface StepWrite {
  step: StepRecord;
  /** Write only while the stored record has one of these statuses. @default any */
  ifStatus?: readonly StepStatus[];
  /** When this write is not made, the writes after it are not either. @default false */
  required?: boolean;
}

/**
 * `RunStore.putStep` as one write of `putSteps`, which is how both of
 * Baton's stores make it: the run after the write, or undefined when the
 * compare-and-set refused it or the run does not exist.
 */
export async function putStepVia(
  store: Pick<RunStore, 'putSteps'>,
  runId: string,
  step: StepRecord,
  options: { ifStatus?: readonly StepStatus[] } = {},
): Promise<RunRecord | undefined> {
  const result = await store.putSteps(runId, [
    { step, ...(options.ifStatus ? { ifStatus: options.ifStatus } : {}) },
  ]);
  return result?.written[0] ? result.run : undefined;
}

export type RunPatch = Partial<
  Pick<RunRecord, 'status' | 'phase' | 'output' | 'error' | 'startedAt' | 'endedAt'>
> & { appendAudit?: RunRecord['audit'][number] };

export interface QueueDepth {
  /** Ready to run now. */
  waiting: number;
  /** Parked until later: retry waits, delays. */
  delayed: number;
  /** Being worked on. */
  active: number;
}

export interface TaskQueue {
  /**
   * Adds tasks, each after `delayMs` when given. A task whose `taskId` is
   * already waiting, delayed or being handled is not added again.
   */
  enqueue(tasks: readonly Task[], options?: { delayMs?: number }): Promise<void>;
  /**
   * Starts handing tasks to `handler`, at most `concurrency` at once. A task
   * whose handler throws is retried a few times and then handed to
   * `onDead`, so one poison run cannot block the others.
   */
  consume(
    handler: (task: Task) => Promise<void>,
    options: { concurrency: number; onDead: (task: Task, error: unknown) => Promise<void> },
  ): void;
  /** Stops taking tasks and waits up to `drainMs` for those in hand. */
  stop(drainMs: number): Promise<void>;
  /**
   * Removes a delayed task that is not due yet (a flow timeout of a run that
   * ended), so it is not counted as waiting work; a no-op for any other.
   */
  cancel?(task: Task): Promise<void>;
  depth(): Promise<QueueDepth>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  /** Consecutive failures counted while closed. */
  failures: number;
  /** When it opened (epoch ms), while open or half-open. */
  openedAt?: number;
}

/** Breaker state shared by every worker. The policy lives in the engine. */
export interface BreakerStore {
  get(name: string): Promise<BreakerSnapshot>;
  /** The state when it is known without I/O (in memory, or read recently enough), else undefined. */
  peek?(name: string): BreakerSnapshot | undefined;
  /** Counts a failure and returns the consecutive count. */
  recordFailure(name: string): Promise<number>;
  /** Closes the breaker and clears its count. */
  recordSuccess(name: string): Promise<void>;
  /** Opens it now. */
  open(name: string, at: number): Promise<void>;
  /** True for exactly one caller per `openedAt`: the half-open trial call. */
  claimTrial(name: string, openedAt: number): Promise<boolean>;
  all(): Promise<Record<string, BreakerSnapshot>>;
}

/** What the gateway answered for an event, kept to answer duplicates the same way. */
export interface IngestAnswer {
  eventId: string;
  runs: Array<{ flow: string; runId: string }>;
  /** The waiting steps this event ended (their resume is queued). */
  resumed?: Array<{ flow: string; runId: string; step: string }>;
}

/**
 * Waits of wait steps, indexed by (source, type, key): an incoming event
 * finds the runs it resumes with one lookup per key, however many wait. A
 * registration and an event's arrival are each atomic with the other's
 * check, so neither can miss the other.
 */
export interface WaitStore {
  /**
   * Registers `wait`, unless an event of its (source, type, key) arrived
   * at or after `sinceMs - lookbackMs`: that event is answered (the latest)
   * and nothing is registered. Registering twice is registering once.
   */
  register(
    wait: WaitEntry,
    options: { sinceMs: number; lookbackMs: number },
  ): Promise<CloudEvent | undefined>;
  /** Drops a wait that ended otherwise (timed out, cancelled). */
  forget(wait: WaitEntry): Promise<void>;
  /** The event that resumed `wait` (its run's step), once ingest matched one. */
  matched(wait: WaitEntry): Promise<CloudEvent | undefined>;
}

/** The waits an incoming event may end: its keys, each with the longest lookback any wait on it has. */
export interface EventWaitKeys {
  keys: ReadonlyArray<{ key: string; lookbackMs: number }>;
}

export interface EventLog {
  /**
   * Records an event and creates and queues its runs, atomically with the
   * duplicate check: when `source`+`event.id` was seen within `dedupWindowMs`,
   * nothing is written and the first answer comes back. With `waits`, in the
   * same step: the waits registered on the event's keys end (each once; a
   * `resume` task is queued for each, the event kept for it), and the event
   * is remembered for the waits that start within their lookback. `dataJson`, when
   * given, is `event.data` as JSON text (a backend that stores JSON may use
   * it rather than serialize the data again).
   */
  ingest(
    event: CloudEvent,
    runs: readonly RunRecord[],
    options: { dedupWindowMs: number; dataJson?: string; waits?: EventWaitKeys },
  ): Promise<{ duplicate: false; answer: IngestAnswer } | { duplicate: true; answer: IngestAnswer }>;
  /**
   * Records `run` as the replay of run `originalId` and creates and queues
   * it, atomically with the check that the original was not replayed yet:
   * a run is replayed at most once, by any number of processes at once.
   * The original gets `replayedBy` and `audit` appended in the same step,
   * so no crash can leave it claimed without its replay. Answers the id of
   * the run that replays the original (`created` when it is `run`, made by
   * this call), or undefined when there is no run `originalId`. (On a
   * partitioned Redis hub a replay whose run lives in another partition
   * takes two writes; see `finishReplay`.)
   */
  replay(
    originalId: string,
    run: RunRecord,
    audit: AuditEntry,
  ): Promise<{ runId: string; created: boolean } | undefined>;
  /**
   * Writes the replay of `originalId` when a crash left it claimed but not
   * yet written (a partitioned hub's replay across partitions); asked when a
   * replay request finds the run replayed already. Absent where a replay is
   * one atomic write.
   */
  finishReplay?(originalId: string): Promise<void>;
}

/**
 * Bulk replay jobs (engine/bulk-replay.ts): each job's snapshot of matched
 * run ids and its progress, kept where every worker reads them, so another
 * worker continues a job whose worker died. Every write is idempotent: a
 * batch handled twice counts each run once.
 */
export interface ReplayJobStore {
  /** Appends run ids to a job being prepared (not visible until `start`). */
  addRuns(jobId: string, runIds: readonly string[]): Promise<void>;
  /**
   * Makes the prepared job visible and running, unless a job with the same
   * `key` is running: then that job is answered (`created: false`) and the
   * prepared one is dropped.
   */
  start(job: ReplayJob, key: string): Promise<{ job: ReplayJob; created: boolean }>;
  /** The job with its counters, or undefined when unknown (or expired). */
  get(jobId: string): Promise<ReplayJob | undefined>;
  /** Up to `count` of the job's run ids from `offset`. */
  runIds(jobId: string, offset: number, count: number): Promise<string[]>;
  /** Records what happened to a run: each run is counted once, under its latest outcome. */
  record(jobId: string, runId: string, outcome: ReplayOutcome): Promise<void>;
  /** Where the job's next batch starts: the batches before it were handled. */
  next(jobId: string): Promise<number>;
  advance(jobId: string, offset: number): Promise<void>;
  /** Marks the job done and lets a new job with its key start. */
  finish(jobId: string, key: string, endedAt: string): Promise<void>;
}

/** One call asking for its turn. */
export interface BudgetAsk {
  /** Stable for the call across polls and re-queues (the step's idempotency key and attempt). */
  callId: string;
  /** Calls of different flows take turns: one busy flow cannot starve another. */
  flow: string;
  policy: BudgetPolicy;
  /** How long the call may take: a lease of a caller that died is dropped after it. */
  leaseMs: number;
  /** How long the caller's place in line is kept if it does not ask again. */
  holdMs: number;
  /**
   * Asks, besides the call's own slot, for up to `slots` more for the
   * process's next calls, each lasting `leaseMs + holdMs`: granted only when
   * the budget is far from binding and nobody waits (see `leaseSize`), so
   * a busy process asks the store once for many calls.
   */
  lease?: { slots: number; holdMs: number };
}

export type BudgetAnswer =
  | {
      granted: true;
      /** Slots leased besides the call's own (ids to release when used, or to give back). */
      leased?: string[];
    }
  | {
      granted: false;
      /** What holds the call back. */
      reason: 'rate' | 'concurrency' | 'paused';
      /** When to ask again (an estimate: the turn is checked then). */
      waitMs: number;
      /** The call's place in line (0: next); undefined when it waits for a pause only. */
      position?: number;
    };

/** What the health API and the dashboard show of an instance's budget. */
export interface BudgetState {
  inFlight: number;
  /** Calls counted in the current rate window. */
  inWindow: number;
  /** Calls waiting for their turn. */
  waiting: number;
  /** While the provider asked for a pause: until when (epoch ms). */
  pausedUntil?: number;
}

/**
 * Provider budgets, per connector instance, shared by every process: a
 * rate (a call counts from when it is let through until `perMs` after its
 * answer, so the provider never sees more than `requests` in any window,
 * whatever the network's delays), a concurrency, and pauses a provider
 * asked for. Waiting calls queue fairly between flows.
 */
export interface BudgetStore {
  /** Lets the call through now, or says how long to wait; a call that waits keeps its place in line. */
  acquire(instance: string, ask: BudgetAsk): Promise<BudgetAnswer>;
  /** The call's answer came back (or it failed): its rate slot runs `perMs` from now, its concurrency slot frees. */
  release(instance: string, callId: string, policy: BudgetPolicy): Promise<void>;
  /** Leaves the line without calling (the run was cancelled, the step timed out waiting). */
  withdraw(instance: string, callId: string): Promise<void>;
  /** Leased slots that no call used: they free at once, without counting in the rate window. */
  giveBack(instance: string, slotIds: readonly string[]): Promise<void>;
  /** Pauses every call to the instance for `forMs` from now (the store's clock); a pause that ends later wins. */
  pause(instance: string, forMs: number): Promise<void>;
  state(instance: string): Promise<BudgetState>;
}

export interface RateLimiter {
  /** Takes one token from a fixed window. */
  take(key: string, limit: number, windowMs: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** A recurring trigger: the flow id and its cron pattern. */
export interface ScheduleEntry {
  flow: string;
  cron: string;
  timezone: string;
  /** Queue one tick for a tick missed while nothing ran (backends that remember). */
  catchUp: boolean;
}

/**
 * Turns cron schedules into `tick` tasks, once per tick however many
 * processes run. Ticks missed while nothing ran are not queued afterwards
 * (the engine decides about catch-up).
 */
export interface ScheduleClock {
  sync(entries: readonly ScheduleEntry[]): Promise<void>;
  stop(): Promise<void>;
}
