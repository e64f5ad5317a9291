import type { Backend } from '../backend/types';
import type { RunView } from './engine-api';

/**
 * Run `runId` as the API shows it: the record, plus where it waits for its
 * turn when it is queued behind another run of its order key. Only a
 * queued run with a key costs the extra read.
 */
export async function runView(backend: Backend, runId: string): Promise<RunView | undefined> {
  const run = await backend.runs.get(runId);
  if (run?.status !== 'queued' || run.orderKey === undefined) return run;
  const turn = await backend.runs.turn(run);
  return turn ? { ...run, waitingFor: turn } : run;
}
