import { runFigures, type StepKind } from '../analytics/run-figures';
import type { CompiledFlow } from '../compile/compile-flow';
import type { RunRecord } from '../model/run-record';
import type { ExecuteContext } from './context';

/**
 * Drops the flow timeout task of a run that just ended (its end written
 * once, by this process), and adds the run to its flow's analytics: one backend write, not waited for, so a run's end costs
 * no extra round trip and a failed write never fails the run (it is
 * logged). The figures come from the run's record as the end returned it.
 */
export function recordRunEnd(ctx: ExecuteContext, run: RunRecord): void {
  try {
    const flow = ctx.flowOf(run);
    if (flow instanceof Promise) {
      // An older version's definition is read from the backend first; the current one is at hand.
      flow.then(
        (loaded) => write(ctx, run, loaded),
        () => write(ctx, run, undefined),
      );
    } else {
      write(ctx, run, flow);
    }
  } catch {
    write(ctx, run, undefined);
  }
}

function write(ctx: ExecuteContext, run: RunRecord, flow: CompiledFlow | undefined): void {
  // The flow's timeout task would only find the run ended; dropped, it no longer shows as waiting work.
  if (flow === undefined || flow.timeoutMs !== undefined) {
    ctx.backend.queue.cancel?.({ kind: 'timeout', run: run.id }).catch((err: unknown) => {
      if (!outage(err))
        ctx.log.warn({ runId: run.id, err }, "could not drop an ended run's flow timeout from the queue");
    });
  }
  const failed = (err: unknown) => {
    if (outage(err)) return;
    ctx.log.warn({ runId: run.id, flow: run.flow, err }, 'could not add an ended run to the flow analytics');
  };
  try {
    const figures = runFigures(run, (step): StepKind | undefined => flow?.byId.get(step)?.kind);
    if (figures) ctx.backend.analytics.record(figures).catch(failed);
  } catch (err) {
    failed(err);
  }
}

/**
 * The backend is unreachable: the backend logs its outage once, so these
 * best-effort writes (statistics, a timer the run's end makes moot) say
 * nothing more.
 */
function outage(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === 'BACKEND_UNAVAILABLE';
}
