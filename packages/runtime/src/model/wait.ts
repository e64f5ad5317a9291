import type { RunRecord, WaitRecord } from './run-record';

/** One waiting step of a run: what it waits for, and where it is. */
export interface WaitEntry {
  source: string;
  /** The event type. */
  type: string;
  /** The key, as evaluated when the wait started. */
  key: string;
  runId: string;
  step: string;
  flow: string;
}

/** The index entry of run `run`'s step `step`, waiting as `wait` records. */
export function waitEntryOf(run: Pick<RunRecord, 'id' | 'flow'>, step: string, wait: WaitRecord): WaitEntry {
  return { source: wait.source, type: wait.event, key: wait.key, runId: run.id, step, flow: run.flow };
}
