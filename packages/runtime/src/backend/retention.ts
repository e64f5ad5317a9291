import type { RunStatus } from '../model/run-record';

/** How many finished runs of one kind are kept, and for how long. */
export interface RetentionBound {
  runs: number;
  maxAgeMs: number;
}

/**
 * How many finished runs, and for how long, a backend keeps. Succeeded runs
 * and failed (or cancelled) runs are kept apart, each within its own bound,
 * so a burst of successes never pushes out the failures someone still has
 * to look at. Runs that have not ended are never dropped.
 */
export interface Retention extends RetentionBound {
  /** The bound of failed and cancelled runs. */
  failed: RetentionBound;
}

/** Retention as options: every field may be left out (see {@link resolveRetention}). */
export interface RetentionOptions extends Partial<RetentionBound> {
  failed?: Partial<RetentionBound>;
}

const DAY_MS = 86_400_000;

/** The bound of succeeded runs when none is given. */
export const DEFAULT_SUCCEEDED_RETENTION: RetentionBound = { runs: 10_000, maxAgeMs: 7 * DAY_MS };
/** The least bound of failed and cancelled runs when none is given. */
export const DEFAULT_FAILED_RETENTION: RetentionBound = { runs: 10_000, maxAgeMs: 30 * DAY_MS };

/**
 * Fills in the defaults. A field of `failed` left out is its default or the
 * succeeded runs' value, whichever is larger: failures are never kept fewer
 * or shorter than successes unless that is asked for.
 */
export function resolveRetention(options: RetentionOptions = {}): Retention {
  const runs = options.runs ?? DEFAULT_SUCCEEDED_RETENTION.runs;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_SUCCEEDED_RETENTION.maxAgeMs;
  return {
    runs,
    maxAgeMs,
    failed: {
      runs: options.failed?.runs ?? Math.max(DEFAULT_FAILED_RETENTION.runs, runs),
      maxAgeMs: options.failed?.maxAgeMs ?? Math.max(DEFAULT_FAILED_RETENTION.maxAgeMs, maxAgeMs),
    },
  };
}

/** Whether a finished run of this status is kept under the `failed` bound. */
export function keptAsFailure(status: RunStatus): boolean {
  return status === 'failed' || status === 'cancelled';
}
