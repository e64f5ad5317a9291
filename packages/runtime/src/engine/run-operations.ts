import { randomUUID } from 'node:crypto';
import { NonRetryableError } from '@baton/sdk';
import { isTracing, serializeError } from '@baton/sdk/host';
import type { EventWaitKeys } from '../backend/types';
import type { CompiledFlow } from '../compile/compile-flow';
import type { ExecuteContext } from '../execute/context';
import { recordRunEnd } from '../execute/record-end';
import { isoTime } from '../model/iso-time';
import { newRun, replayRun } from '../model/new-run';
import type { CloudEvent, RunRecord } from '../model/run-record';
import { waitEntryOf } from '../model/wait';
import { traceRecord, traceReplay } from '../trace/record';
import { decideApproval } from './decide-approval';
import type { DispatchResult, Engine, ReplayResult } from './engine-api';
import { EngineError } from './engine-error';
import { eventWaitKeys, type WaitKeysOf } from './event-waits';
import { orderKeyOf } from './order-key';
import { route } from './route-event';

/** The engine's operations on runs: start them (from events or by hand), replay, cancel. */
export type RunOperations = Pick<
  Engine,
  'dispatch' | 'trigger' | 'startRun' | 'replay' | 'cancel' | 'decide'
>;

/**
 * `waitKeysOf`: the keys an incoming event may end waits with; the engine's
 * follows reloads and the older versions runs still wait on.
 */
export function runOperations(
  ctx: ExecuteContext,
  dedupWindowMs: number,
  waitKeysOf: WaitKeysOf = eventWaitKeys(ctx.flows.values(), ctx.log),
): RunOperations {
  const { backend, flows, log, now } = ctx;

  function requireFlow(flowId: string, message = `No flow "${flowId}"`): CompiledFlow {
    const flow = flows.get(flowId);
    if (!flow) throw new EngineError('FLOW_NOT_FOUND', message);
    return flow;
  }

  /** The flow as the run ran it: its own version's definition, kept by the backend. */
  async function originalFlow(run: RunRecord): Promise<CompiledFlow> {
    const flow = await ctx.flowOf(run);
    if (!flow) {
      throw new EngineError(
        'FLOW_VERSION_NOT_FOUND',
        `Version ${run.flowVersion ?? '?'} of flow "${run.flow}" (run "${run.id}") is no longer kept: replay it on the current version`,
      );
    }
    return flow;
  }

  async function requireRun(runId: string): Promise<RunRecord> {
    const run = await backend.runs.get(runId);
    if (!run) throw new EngineError('RUN_NOT_FOUND', `No run "${runId}"`);
    return run;
  }

  return {
    decide: (runId, stepId, input) => decideApproval(ctx, requireRun, runId, stepId, input),

    async dispatch(event, options = {}): Promise<DispatchResult> {
      const routed = route(flows.values(), event, (flow, error) =>
        log.warn(
          { flow, eventId: event.id, err: error.message },
          'trigger condition failed; flow not started',
        ),
      );
      const chosen = routed instanceof Promise ? await routed : routed;
      const runs: RunRecord[] = [];
      for (const flow of chosen) {
        // Most flows have no orderKey: they pay this one check.
        const orderKey = flow.orderKey ? await orderKeyOf(flow, event, log) : undefined;
        runs.push(newRun(flow, event, 'webhook', now(), [], orderKey));
      }
      backend.placeRuns?.(runs, { source: event.source, eventId: event.id });
      const found = waitKeysOf(event);
      const waits = found instanceof Promise ? await found : found;
      // Built without conditional spreads, which take V8's slow path on every event.
      const ingestOptions: { dedupWindowMs: number; dataJson?: string; waits?: EventWaitKeys } = {
        dedupWindowMs,
      };
      if (options.dataJson !== undefined) ingestOptions.dataJson = options.dataJson;
      if (waits) ingestOptions.waits = waits;
      const result = isTracing()
        ? await traceRecord(backend, event, runs, () => backend.events.ingest(event, runs, ingestOptions))
        : await backend.events.ingest(event, runs, ingestOptions);
      // Field by field, in the answer's order: a spread of it takes V8's slow path on every event.
      const { answer, duplicate } = result;
      return answer.resumed === undefined
        ? { eventId: answer.eventId, runs: answer.runs, duplicate }
        : { eventId: answer.eventId, runs: answer.runs, resumed: answer.resumed, duplicate };
    },

    async trigger(flowId, data, options = {}) {
      const flow = requireFlow(flowId);
      const at = isoTime(now());
      const event: CloudEvent = {
        specversion: '1.0',
        id: randomUUID(),
        source: 'manual',
        type: options.eventType ?? 'manual',
        time: at,
        data: data ?? {},
      };
      const run = newRun(
        flow,
        event,
        'manual',
        now(),
        [{ action: 'trigger', actor: options.actor ?? 'api', at }],
        await orderKeyOf(flow, event, log),
      );
      backend.placeRuns?.([run], { source: event.source, eventId: event.id });
      if (isTracing()) {
        await traceRecord(backend, event, [run], () =>
          backend.events.ingest(event, [run], { dedupWindowMs }),
        );
      } else await backend.events.ingest(event, [run], { dedupWindowMs });
      return { runId: run.id };
    },

    async startRun(flowId, event, options = {}) {
      const flow = requireFlow(flowId);
      const at = isoTime(now());
      const run = newRun(flow, event, 'manual', now(), [
        { action: 'trigger', actor: options.actor ?? 'cli', at },
      ]);
      const start = async () => {
        await backend.runs.create([run]);
        await backend.queue.enqueue([{ kind: 'start', run: run.id }]);
        return { duplicate: false };
      };
      await (isTracing() ? traceRecord(backend, event, [run], start) : start());
      return { runId: run.id };
    },

    async replay(runId, options = {}): Promise<ReplayResult> {
      const original = await requireRun(runId);
      if (original.replayedBy) {
        await backend.events.finishReplay?.(runId);
        return { runId: original.replayedBy, duplicate: true };
      }
      if (original.status !== 'failed' && original.status !== 'cancelled') {
        throw new EngineError(
          'RUN_NOT_REPLAYABLE',
          `Run "${runId}" is ${original.status}; only failed or cancelled runs can be replayed`,
        );
      }
      const on = options.on ?? 'current';
      const flow =
        on === 'original'
          ? await originalFlow(original)
          : requireFlow(original.flow, `Flow "${original.flow}" of run "${runId}" is not loaded`);
      const rerun = options.fromStep ? stepAndAfter(flow, options.fromStep) : undefined;
      const at = isoTime(now());
      const actor = options.actor ?? 'api';
      const choice = { on, ...(options.fromStep ? { fromStep: options.fromStep } : {}) };
      const detail =
        `replay of ${runId} on ${on === 'current' ? 'the current' : 'its own'} version ${flow.version ?? ''}${options.fromStep ? `, from step "${options.fromStep}"` : ''}`.replace(
          ' ,',
          ',',
        );
      // The key as the flow the replay runs on says.
      const run = replayRun(
        flow,
        original,
        now(),
        { action: 'replay', actor, at, detail },
        await orderKeyOf(flow, original.event, log),
        choice,
        rerun,
      );
      backend.placeRuns?.([run], { runId });
      // The claim and the new run are one atomic write, so concurrent replays (in any process)
      // start one run and a crash cannot leave the original claimed by a run that does not exist.
      const audit = { action: 'replay' as const, actor, at, detail: `replayed as ${run.id}` };
      const claimed = isTracing()
        ? await traceReplay(backend, original, run, () => backend.events.replay(runId, run, audit))
        : await backend.events.replay(runId, run, audit);
      if (!claimed) throw new EngineError('RUN_NOT_FOUND', `No run "${runId}"`);
      return claimed.created ? { runId: claimed.runId } : { runId: claimed.runId, duplicate: true };
    },

    async cancel(runId, options = {}) {
      const run = await requireRun(runId);
      const actor = options.actor ?? 'api';
      const at = isoTime(now());
      const error = new NonRetryableError(`Cancelled by ${actor}`, { code: 'RUN_CANCELLED' });
      const ended = await backend.runs.patch(
        runId,
        {
          status: 'cancelled',
          phase: 'done',
          endedAt: at,
          error: serializeError(error),
          appendAudit: { action: 'cancel', actor, at },
        },
        { onlyIfActive: true },
      );
      if (!ended) throw new EngineError('RUN_ALREADY_ENDED', `Run "${runId}" already ended (${run.status})`);
      recordRunEnd(ctx, ended);
      ctx.inFlight.abortRun(runId, error);
      // A cancelled run's waits are dropped from the index: no event resumes it any more.
      for (const record of ended.steps) {
        if (record.status !== 'waiting' || !record.wait) continue;
        await backend.waits.forget(waitEntryOf(run, record.id, record.wait));
      }
      await backend.signals?.publishCancel(runId).catch((err: unknown) => {
        // The run is cancelled either way; other processes then stop at its next step.
        log.warn({ runId, err }, 'could not tell other processes about a cancel');
      });
      ctx.emit({
        type: 'run.ended',
        runId,
        flow: run.flow,
        status: 'cancelled',
        error: serializeError(error),
      });
      return ended;
    },
  };
}

/** `step` and every main step that needs it, directly or not: what a replay from `step` runs again. */
function stepAndAfter(flow: CompiledFlow, step: string): Set<string> {
  const start = flow.byId.get(step);
  if (start?.phase !== 'main') {
    throw new EngineError('STEP_NOT_FOUND', `Flow "${flow.id}" has no step "${step}" to replay from`);
  }
  const rerun = new Set([step]);
  const next = [step];
  for (let id = next.pop(); id !== undefined; id = next.pop()) {
    for (const dependent of flow.dependents.get(id) ?? []) {
      if (!rerun.has(dependent)) {
        rerun.add(dependent);
        next.push(dependent);
      }
    }
  }
  return rerun;
}
