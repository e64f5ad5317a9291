import { ApiError, api } from './client';
import type { Run, RunsPage } from './types';

/** The most waiting runs the approvals list reads, newest first: one request for each. */
export const WAITING_RUNS_LIMIT = 50;
/** Requests in flight at once while reading them. */
const PARALLEL = 6;

/** Waiting runs with their steps; `more` when more runs wait than were read. */
export interface WaitingRuns {
  runs: Run[];
  more: boolean;
}

/**
 * The newest waiting runs (`GET /api/runs?status=waiting`), each read in
 * full (`GET /api/runs/:id`) for its steps, a few at a time, at most
 * `WAITING_RUNS_LIMIT` of them. A run that is gone by the time it is read
 * is left out.
 */
export async function loadWaitingRuns(): Promise<WaitingRuns> {
  const page = await api<RunsPage>(`/runs?status=waiting&limit=${WAITING_RUNS_LIMIT}`);
  const ids = page.runs.map((run) => run.id);
  const runs: Array<Run | undefined> = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      try {
        runs[index] = await api<Run>(`/runs/${encodeURIComponent(ids[index]!)}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, worker));
  return { runs: runs.filter((run): run is Run => run !== undefined), more: page.next !== null };
}
