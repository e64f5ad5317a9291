import { randomUUID } from 'node:crypto';
import { type ConnectorInstance, NonRetryableError, serializeError } from '@baton/sdk';
import type { Backend, BreakerSnapshot, RunQuery } from '../backend/types';
import type { BreakerConfig } from '../config/schema';
import { isScheduleTrigger } from '../flow/schema';
import { type EngineLogger, silentEngineLogger } from '../log/logger';
import type { EngineListener } from '../model/events';
import { isoTime } from '../model/iso-time';
import { newRun, replayRun } from '../model/new-run';
import { type CloudEvent, type RunRecord, type RunSummary, TERMINAL_RUN_STATUSES } from '../model/run-record';
import type { Task } from '../model/task';
import { type BreakerPolicy, resolveBreaker } from './breaker';
import { runCompensateTask } from './compensate-task';
import type { CompiledFlow } from './compile-flow';
import type { EngineContext } from './context';
import { EngineError } from './engine-error';
import { EngineEvents } from './event-hub';
import { type HandOverSlot, handingOver, MAX_HAND_OVERS, runsAlone } from './hand-over';
import { advance, beginFailure, end } from './progress';
import { route } from './router';
import { runStepTask } from './step-task';

export interface EngineOptions {
  flows: Iterable<CompiledFlow>;
  /** Connector instances by name, as flows call them (`<name>.<action>`). */
  instances: ReadonlyMap<string, ConnectorInstance>;
  backend: Backend;
  log?: EngineLogger;
  /** Breaker settings per connector instance. */
  breakers?: Readonly<Record<string, BreakerConfig | undefined>>;
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
  duplicate: boolean;
}

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
  /** Starts one flow for a given event, whatever its trigger says (`baton run`). */
  startRun(flowId: string, event: CloudEvent, options?: { actor?: string }): Promise<{ runId: string }>;
  /**
   * A new run of a failed or cancelled run's event, reusing the outputs of
   * the steps that succeeded. A run is replayed at most once: when it
   * already was (or is being replayed by a concurrent call, in any
   * process), the answer names that replay, with `duplicate: true`.
   */
  replay(runId: string, options?: { actor?: string }): Promise<ReplayResult>;
  /** Stops a run: nothing more starts, calls in flight here are aborted. */
  cancel(runId: string, options?: { actor?: string }): Promise<RunRecord>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(query?: RunQuery): Promise<{ runs: RunSummary[]; next?: string }>;
  /** Resolves with the run once it ended. */
  waitForRun(runId: string, options?: { timeoutMs?: number }): Promise<RunRecord>;
  /** Starts taking tasks from the queue. */
  startWorker(options?: { concurrency?: number }): void;
  /** Registers the flows' schedules with the backend. */
  startSchedules(): Promise<void>;
  breakerStates(): Promise<Record<string, BreakerSnapshot>>;
  on(listener: EngineListener): () => void;
  /** Stops taking tasks, lets those in hand finish within `drainMs`, stops schedules. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Builds the engine over a backend. One per process; workers share the backend. */
export function createEngine(options: EngineOptions): Engine {
  const flows = new Map([...options.flows].map((f) => [f.id, f]));
  const events = new EngineEvents();
  const policies = new Map<string, BreakerPolicy>();
  const log = options.log ?? silentEngineLogger();
  const now = options.now ?? Date.now;
  const dedupWindowMs = options.dedupWindowMs ?? DAY_MS;
  const secrets = [...new Set([...options.instances.values()].flatMap((i) => i.secrets))];
  const ctx: EngineContext = {
    flows,
    instances: options.instances,
    backend: options.backend,
    log,
    secrets,
    inFlight: new Map(),
    emit: (event) => events.emit(event),
    now,
    enqueue: (tasks, enqueueOptions) =>
      options.backend.queue.enqueue(
        tasks,
        enqueueOptions?.delayMs ? { delayMs: enqueueOptions.delayMs } : {},
      ),
    breakerPolicy: (instance) => {
      let policy = policies.get(instance);
      if (!policy) {
        policy = resolveBreaker(options.breakers?.[instance]);
        policies.set(instance, policy);
      }
      return policy;
    },
  };
  const backend = options.backend;
  // A cancel published by any process (this one included) aborts this process's calls of that run.
  const offCancel = backend.signals?.onCancel((runId) => {
    const reason = new NonRetryableError('Cancelled', { code: 'RUN_CANCELLED' });
    for (const controller of ctx.inFlight.get(runId) ?? []) controller.abort(reason);
  });

  let stopping = false;

  /** The queue's handler: a task, then the steps it handed over (hand-over.ts). */
  async function handle(task: Task): Promise<void> {
    if (task.kind === 'tick') return handleTick(task);
    const slot: HandOverSlot = { next: undefined };
    const taskCtx = handingOver(ctx, slot);
    await handleRunTask(taskCtx, task);
    for (let carried = 0; slot.next; carried++) {
      const next = slot.next;
      slot.next = undefined;
      // Draining, or carried long enough: the queue takes it (any worker may).
      if (stopping || carried >= MAX_HAND_OVERS) return backend.queue.enqueue([next]);
      const run = await backend.runs.get(next.run);
      if (!run) return;
      // It ran alone when started; should anything else have started since (a duplicate task of
      // the run), the queue, whose task ids keep a second copy out, is the safe way to run it.
      if (!runsAlone(run, next.step)) return backend.queue.enqueue([next]);
      await handleRunTask(taskCtx, next, run);
    }
  }

  async function handleRunTask(
    taskCtx: EngineContext,
    task: Exclude<Task, { kind: 'tick' }>,
    read?: RunRecord,
  ): Promise<void> {
    const run = read ?? (await backend.runs.get(task.run));
    if (!run || TERMINAL_RUN_STATUSES.has(run.status)) return;
    const flow = flows.get(run.flow);
    if (!flow) {
      const error = new NonRetryableError(`Flow "${run.flow}" is no longer loaded`, { code: 'FLOW_REMOVED' });
      await end(taskCtx, run, { status: 'failed', error: serializeError(error) });
      return;
    }
    switch (task.kind) {
      case 'start':
        return handleStart(taskCtx, flow, run);
      case 'step':
        return runStepTask(taskCtx, flow, run, task);
      case 'compensate':
        return runCompensateTask(taskCtx, flow, run, task);
      case 'timeout': {
        if (run.phase !== 'main') return;
        const error = new NonRetryableError(
          `The run lasted longer than the flow timeout (${flow.flow.timeout})`,
          {
            code: 'FLOW_TIMEOUT',
          },
        );
        return beginFailure(taskCtx, flow, run, serializeError(error));
      }
    }
  }

  async function handleStart(taskCtx: EngineContext, flow: CompiledFlow, run: RunRecord): Promise<void> {
    let current = run;
    if (run.status === 'queued') {
      current =
        (await backend.runs.patch(
          run.id,
          { status: 'running', startedAt: isoTime(now()) },
          { onlyIfActive: true },
        )) ?? run;
      if (flow.timeoutMs !== undefined) {
        await backend.queue.enqueue([{ kind: 'timeout', run: run.id }], { delayMs: flow.timeoutMs });
      }
      events.emit({ type: 'run.started', runId: run.id, flow: run.flow });
    }
    await advance(taskCtx, flow, current);
  }

  async function handleTick(task: Extract<Task, { kind: 'tick' }>): Promise<void> {
    const flow = flows.get(task.flow);
    const trigger = flow?.flow.trigger;
    if (!flow || !isScheduleTrigger(trigger)) return;
    const late = now() - Date.parse(task.at);
    if (late > (options.lateTickToleranceMs ?? 60_000) && !trigger.catchUp) {
      log.info({ flow: flow.id, tick: task.at, lateMs: late }, 'skipping a missed schedule tick');
      return;
    }
    const event: CloudEvent = {
      specversion: '1.0',
      id: `${flow.id}@${task.at}`,
      source: 'schedule',
      type: 'schedule.tick',
      time: task.at,
      data: { scheduledAt: task.at, schedule: trigger.schedule, timezone: trigger.timezone ?? 'UTC' },
    };
    // The event id names the tick, so a tick delivered twice starts one run.
    await backend.events.ingest(event, [newRun(flow, event, 'schedule', now())], { dedupWindowMs });
  }

  async function onDead(task: Task, error: unknown): Promise<void> {
    log.error({ task, err: error }, 'a task failed repeatedly; ending its run');
    if (task.kind === 'tick') return;
    const run = await backend.runs.get(task.run).catch(() => undefined);
    if (!run) return;
    const failure = new NonRetryableError(
      `Baton failed handling this run: ${(error as Error)?.message ?? String(error)}`,
      {
        code: 'TASK_FAILED',
      },
    );
    await end(ctx, run, { status: 'failed', error: serializeError(failure, { secrets }) });
  }

  async function requireRun(runId: string): Promise<RunRecord> {
    const run = await backend.runs.get(runId);
    if (!run) throw new EngineError('RUN_NOT_FOUND', `No run "${runId}"`);
    return run;
  }

  return {
    flows,
    backend,

    async dispatch(event, dispatchOptions = {}) {
      const chosen = await route(flows.values(), event, (flow, error) =>
        log.warn(
          { flow, eventId: event.id, err: error.message },
          'trigger condition failed; flow not started',
        ),
      );
      const runs = chosen.map((flow) => newRun(flow, event, 'webhook', now()));
      const result = await backend.events.ingest(event, runs, {
        dedupWindowMs,
        ...(dispatchOptions.dataJson !== undefined ? { dataJson: dispatchOptions.dataJson } : {}),
      });
      return { ...result.answer, duplicate: result.duplicate };
    },

    async trigger(flowId, data, triggerOptions = {}) {
      const flow = flows.get(flowId);
      if (!flow) throw new EngineError('FLOW_NOT_FOUND', `No flow "${flowId}"`);
      const at = isoTime(now());
      const event: CloudEvent = {
        specversion: '1.0',
        id: randomUUID(),
        source: 'manual',
        type: triggerOptions.eventType ?? 'manual',
        time: at,
        data: data ?? {},
      };
      const run = newRun(flow, event, 'manual', now(), [
        { action: 'trigger', actor: triggerOptions.actor ?? 'api', at },
      ]);
      await backend.events.ingest(event, [run], { dedupWindowMs });
      return { runId: run.id };
    },

    async startRun(flowId, event, startOptions = {}) {
      const flow = flows.get(flowId);
      if (!flow) throw new EngineError('FLOW_NOT_FOUND', `No flow "${flowId}"`);
      const at = isoTime(now());
      const run = newRun(flow, event, 'manual', now(), [
        { action: 'trigger', actor: startOptions.actor ?? 'cli', at },
      ]);
      await backend.runs.create([run]);
      await backend.queue.enqueue([{ kind: 'start', run: run.id }]);
      return { runId: run.id };
    },

    async replay(runId, replayOptions = {}) {
      const original = await requireRun(runId);
      if (original.replayedBy) return { runId: original.replayedBy, duplicate: true };
      if (original.status !== 'failed' && original.status !== 'cancelled') {
        throw new EngineError(
          'RUN_NOT_REPLAYABLE',
          `Run "${runId}" is ${original.status}; only failed or cancelled runs can be replayed`,
        );
      }
      const flow = flows.get(original.flow);
      if (!flow)
        throw new EngineError('FLOW_NOT_FOUND', `Flow "${original.flow}" of run "${runId}" is not loaded`);
      const at = isoTime(now());
      const actor = replayOptions.actor ?? 'api';
      const run = replayRun(flow, original, now(), {
        action: 'replay',
        actor,
        at,
        detail: `replay of ${runId}`,
      });
      // The claim and the new run are one atomic write, so concurrent replays (in any process)
      // start one run and a crash cannot leave the original claimed by a run that does not exist.
      const claimed = await backend.events.replay(runId, run, {
        action: 'replay',
        actor,
        at,
        detail: `replayed as ${run.id}`,
      });
      if (!claimed) throw new EngineError('RUN_NOT_FOUND', `No run "${runId}"`);
      return claimed.created ? { runId: claimed.runId } : { runId: claimed.runId, duplicate: true };
    },

    async cancel(runId, cancelOptions = {}) {
      const run = await requireRun(runId);
      const at = isoTime(now());
      const error = new NonRetryableError(`Cancelled by ${cancelOptions.actor ?? 'api'}`, {
        code: 'RUN_CANCELLED',
      });
      const ended = await backend.runs.patch(
        runId,
        {
          status: 'cancelled',
          phase: 'done',
          endedAt: at,
          error: serializeError(error),
          appendAudit: { action: 'cancel', actor: cancelOptions.actor ?? 'api', at },
        },
        { onlyIfActive: true },
      );
      if (!ended) throw new EngineError('RUN_ALREADY_ENDED', `Run "${runId}" already ended (${run.status})`);
      for (const controller of ctx.inFlight.get(runId) ?? []) controller.abort(error);
      await backend.signals?.publishCancel(runId).catch((err: unknown) => {
        // The run is cancelled either way; other processes then stop at its next step.
        log.warn({ runId, err }, 'could not tell other processes about a cancel');
      });
      events.emit({
        type: 'run.ended',
        runId,
        flow: run.flow,
        status: 'cancelled',
        error: serializeError(error),
      });
      return ended;
    },

    getRun: (runId) => backend.runs.get(runId),
    listRuns: (query = {}) => backend.runs.list(query),

    async waitForRun(runId, waitOptions = {}) {
      const deadline = now() + (waitOptions.timeoutMs ?? 60_000);
      let wake: (() => void) | undefined;
      const off = events.on((event) => {
        if (event.type === 'run.ended' && event.runId === runId) wake?.();
      });
      try {
        for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
          const run = await backend.runs.get(runId);
          if (run && TERMINAL_RUN_STATUSES.has(run.status)) return run;
          if (now() >= deadline)
            throw new EngineError('RUN_WAIT_TIMEOUT', `Run "${runId}" did not end in time`);
          // Woken by this process's engine, or polling for runs other workers handle.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(pause, Math.max(1, deadline - now())));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      } finally {
        off();
      }
    },

    startWorker(workerOptions = {}) {
      backend.queue.consume(handle, { concurrency: workerOptions.concurrency ?? 16, onDead });
    },

    async startSchedules() {
      const entries = [...flows.values()].flatMap((flow) => {
        const trigger = flow.flow.trigger;
        return isScheduleTrigger(trigger)
          ? [
              {
                flow: flow.id,
                cron: trigger.schedule,
                timezone: trigger.timezone ?? 'UTC',
                catchUp: trigger.catchUp ?? false,
              },
            ]
          : [];
      });
      await backend.schedules.sync(entries);
    },

    breakerStates: () => backend.breakers.all(),
    on: (listener) => events.on(listener),

    async stop(stopOptions = {}) {
      stopping = true;
      offCancel?.();
      await backend.schedules.stop();
      await backend.queue.stop(stopOptions.drainMs ?? 10_000);
    },
  };
}
