import type { RunStore, StepWrite } from '../backend/types';
import type { RunRecord, SettledStatus } from '../model/run-record';

/**
 * A run store that answers at once: the embedded one, whose reads and
 * writes are synchronous behind their promises. The executor reads a run
 * and writes a step's records through these on every step; a promise
 * awaited for each was an async frame and a turn of the event loop apiece.
 */
interface RunStoreNow {
  peek(runId: string): RunRecord | undefined;
  /** `basedOn` and `status` as putSteps' options, passed bare: no options object per step. */
  putStepsNow(
    runId: string,
    writes: readonly StepWrite[],
    basedOn?: RunRecord,
    status?: SettledStatus,
  ): { written: boolean[]; run?: RunRecord } | undefined;
}

function answersAtOnce(store: RunStore): store is RunStore & RunStoreNow {
  const now = store as Partial<RunStoreNow>;
  return typeof now.peek === 'function' && typeof now.putStepsNow === 'function';
}

/** The run as stored: at once from a store that can, else its promise. */
export function readRun(
  store: RunStore,
  runId: string,
): RunRecord | undefined | Promise<RunRecord | undefined> {
  return answersAtOnce(store) ? store.peek(runId) : store.get(runId);
}

type StepsWritten = { written: boolean[]; run?: RunRecord } | undefined;

/** RunStore.putSteps: at once from a store that can, else its promise. */
export function putStepsNow(
  store: RunStore,
  runId: string,
  writes: readonly StepWrite[],
  basedOn: RunRecord | undefined,
  status?: SettledStatus,
): StepsWritten | Promise<StepsWritten> {
  if (answersAtOnce(store)) return store.putStepsNow(runId, writes, basedOn, status);
  if (!basedOn) return store.putSteps(runId, writes, NO_OPTIONS);
  return store.putSteps(runId, writes, status ? { basedOn, status } : { basedOn });
}

const NO_OPTIONS = Object.freeze({});
