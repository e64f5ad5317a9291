import { NonRetryableError } from '@baton/sdk';
import { type BreakerPolicy, resolveBreaker } from '../compile/breaker-policy';
import { type Budget, resolveBudget } from '../compile/budget-policy';
import type { ExecuteContext } from '../execute/context';
import { Deadlines } from '../execute/deadlines';
import { InFlightCalls } from '../execute/in-flight';
import { LeasedSlots } from '../execute/leased-slots';
import { inWorkerTurnWaits } from '../execute/turn';
import { failRunOf, handleRunTask } from '../execute/worker';
import { silentEngineLogger } from '../log/logger';
import { bulkReplay } from './bulk-replay';
import type { Engine, EngineOptions } from './engine-api';
import { EngineEvents } from './event-hub';
import { flowAnalytics } from './flow-analytics';
import { FlowCatalog } from './flow-catalog';
import { flowReloads } from './flow-reload';
import { runOperations } from './run-operations';
import { runView } from './run-view';
import { handleTick, scheduleEntries } from './schedule-ticks';
import { waitForRun } from './wait-for-run';

export type {
  DispatchResult,
  Engine,
  EngineOptions,
  ReplayOptions,
  ReplayResult,
  RunView,
} from './engine-api';

const DAY_MS = 86_400_000;

/**
 * Builds the engine over a backend: one per process; workers share the
 * backend. Only wiring: the rules are in plan/, their application in
 * execute/, the operations on runs in run-operations.ts.
 */
export function createEngine(options: EngineOptions): Engine {
  const { backend } = options;
  const flows = new Map([...options.flows].map((f) => [f.id, f]));
  const events = new EngineEvents();
  const log = options.log ?? silentEngineLogger();
  const now = options.now ?? Date.now;
  const dedupWindowMs = options.dedupWindowMs ?? DAY_MS;
  const secrets = liveSecrets([...options.instances.values()]);
  const policies = new Map<string, BreakerPolicy>();
  const budgets = new Map<string, Budget>();
  const catalog = new FlowCatalog(flows, backend.flowVersions, log);
  const ctx: ExecuteContext = {
    flows,
    flowOf: (run) => catalog.flowOf(run),
    instances: options.instances,
    backend,
    log,
    // Live: an OAuth2 instance's secrets grow as it fetches tokens.
    get secrets() {
      return secrets();
    },
    inFlight: new InFlightCalls(),
    deadlines: new Deadlines(),
    emit: (event) => events.emit(event),
    now,
    breakerPolicy: (instance) => {
      let policy = policies.get(instance);
      if (!policy) {
        policy = resolveBreaker(options.breakers?.[instance]);
        policies.set(instance, policy);
      }
      return policy;
    },
    budget: (instance) => {
      let budget = budgets.get(instance);
      if (!budget) {
        budget = resolveBudget(options.limits?.[instance], options.instances.get(instance)?.limits);
        budgets.set(instance, budget);
      }
      return budget;
    },
    pauses: new Map(),
    slots: new LeasedSlots(() => backend.budgets, log, now),
    turnWaits: { inWorker: 0, max: inWorkerTurnWaits(16) },
    callMs: new Map(),
  };
  // Every event goes to the other processes of the hub too, so their gateways show this process's runs live.
  const live = backend.live;
  if (live) events.on((event) => live.publish(event));
  // A cancel published by any process (this one included) aborts this process's calls of that run.
  const offCancel = backend.signals?.onCancel((runId) => {
    const reason = new NonRetryableError('Cancelled', { code: 'RUN_CANCELLED' });
    ctx.inFlight.abortRun(runId, reason);
  });
  let stopping = false;
  const tickOptions = { lateToleranceMs: options.lateTickToleranceMs ?? 60_000, dedupWindowMs };
  let schedulesStarted = false;
  const versions = flowReloads({
    catalog,
    backend,
    log,
    now,
    // The schedules follow the current flows wherever they were started.
    onSwitch: async (current) => {
      if (schedulesStarted) await backend.schedules.sync(scheduleEntries(current));
    },
  });
  const operations = runOperations(ctx, dedupWindowMs, (event) => catalog.waitKeysOf(event));
  const bulk = bulkReplay(ctx, operations.replay);

  return {
    flows,
    backend,
    ...operations,
    replayMatching: bulk.replayMatching,
    replayJob: bulk.replayJob,
    getRun: (runId) => runView(backend, runId),
    listRuns: (query = {}) => backend.runs.list(query),
    waitForRun: (runId, waitOptions = {}) =>
      waitForRun({ backend, events, now }, runId, waitOptions.timeoutMs),

    startWorker(workerOptions = {}) {
      ctx.turnWaits.max = inWorkerTurnWaits(workerOptions.concurrency ?? 16);
      backend.queue.consume(
        (task) =>
          task.kind === 'tick'
            ? handleTick(ctx, task, tickOptions)
            : task.kind === 'replay-batch'
              ? bulk.handleReplayBatch(task)
              : handleRunTask(ctx, task, () => stopping),
        {
          concurrency: workerOptions.concurrency ?? 16,
          async onDead(task, error) {
            log.error({ task, err: error }, 'a task failed repeatedly; ending its run');
            if (task.kind === 'replay-batch') await bulk.failJob(task, error);
            else if (task.kind !== 'tick') await failRunOf(ctx, task, error);
          },
        },
      );
    },

    startSchedules: () => {
      schedulesStarted = true;
      return backend.schedules.sync(scheduleEntries(flows.values()));
    },
    reload: (compiled) => versions.reload(compiled),
    flowVersion: (flowId, version) => catalog.definition(flowId, version),
    breakerStates: () => backend.breakers.all(),
    flowAnalytics: (flowId, window) => {
      const at = now();
      return flowAnalytics(backend, flows, flowId, { since: window.since, until: window.until ?? at }, at);
    },
    on: (listener) => events.on(listener),

    async stop(stopOptions = {}) {
      stopping = true;
      offCancel?.();
      versions.stop();
      await versions.started;
      await backend.schedules.stop();
      await backend.queue.stop(stopOptions.drainMs ?? 10_000);
      await ctx.slots.dropAll();
    },
  };
}

/**
 * Every secret the instances know, as one list, built again only when an
 * instance learnt a new one (its list changes in place: the tokens it
 * fetched, the newest last, the oldest dropped past a bound).
 */
function liveSecrets(instances: ReadonlyArray<{ secrets: readonly string[] }>): () => readonly string[] {
  const seen = instances.map(() => ({ length: -1, last: undefined as string | undefined }));
  let list: readonly string[] = [];
  return () => {
    let changed = false;
    for (let i = 0; i < instances.length; i++) {
      const own = instances[i]!.secrets;
      const mark = seen[i]!;
      // Never own[-1]: a negative index is a property looked up on the prototypes, the slow way.
      const last = own.length > 0 ? own[own.length - 1] : undefined;
      if (own.length !== mark.length || last !== mark.last) {
        mark.length = own.length;
        mark.last = last;
        changed = true;
      }
    }
    if (changed) list = [...new Set(instances.flatMap((i) => i.secrets))];
    return list;
  };
}
