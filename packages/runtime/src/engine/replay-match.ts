import type { Backend } from '../backend/types';
import type { ReplayFilter } from '../model/replay-job';
import type { RunRecord, RunSummary } from '../model/run-record';

/** Runs read from the store per page while matching. */
const PAGE = 200;

/**
 * The runs a bulk replay filter matches, newest first, page by page: the
 * store narrows by flow, status and `since` (its indexes), the rest is
 * checked here, reading a whole record only for the failing-step filter.
 * Runs already replayed are not matched (they are claimed); they are
 * counted in `alreadyReplayed` instead.
 */
export async function* matchingRuns(
  backend: Backend,
  filter: ReplayFilter,
  counts: { alreadyReplayed: number } = { alreadyReplayed: 0 },
): AsyncGenerator<RunSummary[]> {
  let cursor: string | undefined;
  do {
    const page = await backend.runs.list({
      status: filter.status ?? 'failed',
      ...(filter.flow !== undefined ? { flow: filter.flow } : {}),
      ...(filter.since !== undefined ? { since: filter.since } : {}),
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    cursor = page.next;
    const matched: RunSummary[] = [];
    for (const run of page.runs) {
      if (filter.until !== undefined && run.createdAt >= filter.until) continue;
      if (filter.errorCode !== undefined && run.error?.code !== filter.errorCode) continue;
      if (filter.step !== undefined && failingStep(await backend.runs.get(run.id)) !== filter.step) continue;
      if (run.replayedBy) {
        counts.alreadyReplayed++;
        continue;
      }
      matched.push(run);
    }
    if (matched.length > 0) yield matched;
  } while (cursor);
}

/** The step that failed the run: its first failed step of the main phase. */
export function failingStep(run: RunRecord | undefined): string | undefined {
  return run?.steps.find((step) => step.phase === 'main' && step.status === 'failed')?.id;
}
