import type { RunStatus, RunSummary } from './run-record';

/**
 * Which runs a bulk replay takes: every field narrows the match. Times are
 * ISO 8601 and compare with the run's `createdAt` (`since` inclusive,
 * `until` exclusive).
 */
export interface ReplayFilter {
  flow?: string;
  /** Only failed or cancelled runs can be replayed. @default 'failed' */
  status?: Extract<RunStatus, 'failed' | 'cancelled'>;
  since?: string;
  until?: string;
  /** The run's error code (`run.error.code`). */
  errorCode?: string;
  /** The step that failed the run (its first failed main step). */
  step?: string;
}

export type ReplayJobStatus = 'running' | 'done';

/** A bulk replay job: what it matched and how far it got. */
export interface ReplayJob {
  jobId: string;
  filter: ReplayFilter;
  /** Runs matched when the job started: the job's snapshot of run ids. */
  matched: number;
  /** Runs this job replayed (it made the claim). */
  replayed: number;
  /** Runs already replayed (or being replayed) by someone else when the job reached them. */
  skipped: number;
  /** Runs that could not be replayed (gone, flow no longer loaded). */
  failed: number;
  status: ReplayJobStatus;
  /** Runs per second at most. */
  rate: number;
  /** Who asked, for the replays' audit trail. */
  actor: string;
  startedAt: string;
  endedAt?: string;
}

/** What happened to one run of a replay job. */
export type ReplayOutcome = 'replayed' | 'skipped' | 'failed';

/**
 * The key that makes a repeated request answer the job already running for
 * it: the filter's fields in one order, absent ones left out.
 */
export function replayFilterKey(filter: ReplayFilter): string {
  const ordered: ReplayFilter = {
    status: filter.status ?? 'failed',
    ...(filter.flow !== undefined ? { flow: filter.flow } : {}),
    ...(filter.since !== undefined ? { since: filter.since } : {}),
    ...(filter.until !== undefined ? { until: filter.until } : {}),
    ...(filter.errorCode !== undefined ? { errorCode: filter.errorCode } : {}),
    ...(filter.step !== undefined ? { step: filter.step } : {}),
  };
  return JSON.stringify(ordered);
}

/** Options of `Engine.replayMatching`. */
export interface BulkReplayOptions {
  /** Count and show a sample; replay nothing. @default false */
  dryRun?: boolean;
  /** Runs per second at most. @default 50 */
  rate?: number;
  /** Who asked, for the replays' audit trail. @default 'api' */
  actor?: string;
}

/** What `Engine.replayMatching` answers. */
export type BulkReplayAnswer =
  | {
      dryRun: true;
      /** Runs a job would replay now. */
      matched: number;
      /** Runs that match but were replayed already (not matched). */
      alreadyReplayed: number;
      /** The newest matched runs, at most 10. */
      sample: RunSummary[];
    }
  | {
      dryRun: false;
      jobId: string;
      matched: number;
      /** A job for the same filter was running: this is that job, nothing new started. */
      duplicate?: true;
    };
