import type { Engine, RunSummary } from '@baton/runtime';

/** The statuses the Failed view reads: the runs kept under `retention.failed`. */
export const FAILURE_STATUSES = ['failed', 'cancelled'] as const;
export type FailureStatus = (typeof FAILURE_STATUSES)[number];

/** Retained failed and cancelled runs of one flow that ended with one error code. */
export interface FailureGroup {
  flow: string;
  status: FailureStatus;
  /** The run error's code; null for a run that ended without one (a cancel, usually). */
  errorCode: string | null;
  count: number;
  /** When the group's first and last runs ended (ISO). */
  firstAt: string;
  lastAt: string;
  /** The group's latest run, and its error message, to open one. */
  sampleRunId: string;
  sampleMessage: string | null;
}

export interface FailureGroups {
  groups: FailureGroup[];
  /** Runs read; `truncated` when more were retained than `scanLimit` per status. */
  scanned: number;
  truncated: boolean;
}

const PAGE = 500;

/**
 * Groups the retained failed and cancelled runs by flow, status and error
 * code, latest group first. Reads the run list page by page, newest first,
 * at most `scanLimit` runs per status: the retention of failed runs bounds
 * the work, the limit bounds it when that retention is large.
 */
export async function groupFailures(
  engine: Pick<Engine, 'listRuns'>,
  options: { flow?: string; since?: string; scanLimit?: number } = {},
): Promise<FailureGroups> {
  const scanLimit = options.scanLimit ?? 20_000;
  const groups = new Map<string, FailureGroup>();
  let scanned = 0;
  let truncated = false;
  for (const status of FAILURE_STATUSES) {
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await engine.listRuns({
        status,
        limit: PAGE,
        ...(options.flow ? { flow: options.flow } : {}),
        ...(options.since ? { since: options.since } : {}),
        ...(cursor ? { cursor } : {}),
      });
      for (const run of page.runs) add(groups, run, status);
      read += page.runs.length;
      cursor = page.next;
    } while (cursor && read < scanLimit);
    if (cursor) truncated = true;
    scanned += read;
  }
  const sorted = [...groups.values()].sort((a, b) =>
    a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0,
  );
  return { groups: sorted, scanned, truncated };
}

function add(groups: Map<string, FailureGroup>, run: RunSummary, status: FailureStatus): void {
  const errorCode = run.error?.code ?? null;
  const at = run.endedAt ?? run.createdAt;
  const key = JSON.stringify([run.flow, status, errorCode]);
  const group = groups.get(key);
  if (!group) {
    groups.set(key, {
      flow: run.flow,
      status,
      errorCode,
      count: 1,
      firstAt: at,
      lastAt: at,
      sampleRunId: run.id,
      sampleMessage: run.error?.message ?? null,
    });
    return;
  }
  group.count += 1;
  if (at < group.firstAt) group.firstAt = at;
  if (at > group.lastAt) {
    group.lastAt = at;
    group.sampleRunId = run.id;
    group.sampleMessage = run.error?.message ?? null;
  }
}
