import { randomBytes } from 'node:crypto';
import { isBatonError } from '@baton/sdk';
import type { ExecuteContext } from '../execute/context';
import { isoTime } from '../model/iso-time';
import {
  type BulkReplayAnswer,
  type BulkReplayOptions,
  type ReplayFilter,
  type ReplayJob,
  type ReplayOutcome,
  replayFilterKey,
} from '../model/replay-job';
import type { RunSummary } from '../model/run-record';
import type { Task } from '../model/task';
import type { Engine } from './engine-api';
import { matchingRuns } from './replay-match';

/** Runs per second a replay job replays at most, unless asked otherwise. */
export const DEFAULT_REPLAY_RATE = 50;
/** The highest rate a job may ask for. */
export const MAX_REPLAY_RATE = 1000;
/** Runs a dry run shows. */
const SAMPLE_SIZE = 10;
/** Refusals of `replay` that are the run's, not the backend's: the run is counted failed, the job goes on. */
const RUN_REFUSALS = new Set(['RUN_NOT_FOUND', 'RUN_NOT_REPLAYABLE', 'FLOW_NOT_FOUND']);

type ReplayTask = Extract<Task, { kind: 'replay-batch' }>;

/**
 * Bulk replay: a filter over the run store, a job recorded in the backend
 * (the matched run ids and the counters), and its batches as queue tasks,
 * so any worker continues a job whose worker died. Each run goes through
 * `replay`, which claims it at most once overall; a batch handled twice
 * replays nothing twice and counts nothing twice.
 */
export function bulkReplay(ctx: ExecuteContext, replay: Engine['replay']) {
  const { backend, log, now } = ctx;
  const store = backend.replayJobs;

  async function replayMatching(
    filter: ReplayFilter,
    options: BulkReplayOptions = {},
  ): Promise<BulkReplayAnswer> {
    const normalized: ReplayFilter = { ...filter, status: filter.status ?? 'failed' };
    if (options.dryRun) {
      const counts = { alreadyReplayed: 0 };
      let matched = 0;
      const sample: RunSummary[] = [];
      for await (const page of matchingRuns(backend, normalized, counts)) {
        matched += page.length;
        sample.push(...page.slice(0, SAMPLE_SIZE - sample.length));
      }
      return { dryRun: true, matched, alreadyReplayed: counts.alreadyReplayed, sample };
    }
    const jobId = `rpl_${randomBytes(10).toString('hex')}`;
    for await (const page of matchingRuns(backend, normalized)) {
      await store.addRuns(
        jobId,
        page.map((run) => run.id),
      );
    }
    const key = replayFilterKey(normalized);
    const { job, created } = await store.start(
      {
        jobId,
        filter: normalized,
        matched: 0,
        replayed: 0,
        skipped: 0,
        failed: 0,
        status: 'running',
        rate: clampRate(options.rate),
        actor: options.actor ?? 'api',
        startedAt: isoTime(now()),
      },
      key,
    );
    if (!created) return { dryRun: false, jobId: job.jobId, matched: job.matched, duplicate: true };
    if (job.matched === 0) await store.finish(jobId, key, isoTime(now()));
    else await backend.queue.enqueue([{ kind: 'replay-batch', job: jobId, offset: 0 }]);
    log.info({ jobId, matched: job.matched, filter: normalized }, 'bulk replay started');
    return { dryRun: false, jobId, matched: job.matched };
  }

  /** One batch of a job: replays its runs, then queues the next batch after the rate's delay. */
  async function handleReplayBatch(task: ReplayTask): Promise<void> {
    const job = await store.get(task.job);
    if (!job || job.status === 'done') return;
    // A redelivered batch whose successor is queued already: handled.
    if ((await store.next(job.jobId)) > task.offset) return;
    const started = now();
    const size = batchSize(job.rate);
    const runIds = await store.runIds(job.jobId, task.offset, size);
    for (const runId of runIds) await store.record(job.jobId, runId, await replayOne(job, runId));
    const offset = task.offset + runIds.length;
    if (runIds.length < size || offset >= job.matched) {
      await store.finish(job.jobId, replayFilterKey(job.filter), isoTime(now()));
      const done = await store.get(job.jobId);
      log.info(
        { jobId: job.jobId, replayed: done?.replayed, skipped: done?.skipped, failed: done?.failed },
        'bulk replay done',
      );
      return;
    }
    const delayMs = Math.max(0, (runIds.length * 1000) / job.rate - (now() - started));
    // Queued before the offset moves on: a crash between the two leaves this batch to be redone, never a gap.
    await backend.queue.enqueue([{ kind: 'replay-batch', job: job.jobId, offset }], { delayMs });
    await store.advance(job.jobId, offset);
  }

  async function replayOne(job: ReplayJob, runId: string): Promise<ReplayOutcome> {
    const actor = replayActor(job);
    try {
      const result = await replay(runId, { actor });
      if (!result.duplicate) return 'replayed';
      // Claimed already: by this job when a batch is redone after a crash, else by someone else.
      const replayRun = await backend.runs.get(result.runId);
      const ours = replayRun?.audit.some((entry) => entry.action === 'replay' && entry.actor === actor);
      return ours ? 'replayed' : 'skipped';
    } catch (error) {
      if (!isBatonError(error) || !RUN_REFUSALS.has(error.code)) throw error;
      log.warn({ jobId: job.jobId, runId, err: error.message }, 'bulk replay: run not replayed');
      return 'failed';
    }
  }

  async function failJob(task: ReplayTask, error: unknown): Promise<void> {
    const job = await store.get(task.job);
    if (!job) return;
    log.error({ jobId: job.jobId, offset: task.offset, err: error }, 'bulk replay stopped');
    await store.finish(job.jobId, replayFilterKey(job.filter), isoTime(now()));
  }

  return { replayMatching, replayJob: (jobId: string) => store.get(jobId), handleReplayBatch, failJob };
}

/** How the job's replays show in audit trails: who asked, through which job. */
function replayActor(job: ReplayJob): string {
  return `${job.actor} (bulk replay ${job.jobId})`;
}

/** A batch spans about half a second at the job's rate, 100 runs at most. */
function batchSize(rate: number): number {
  return Math.max(1, Math.min(100, Math.ceil(rate / 2)));
}

function clampRate(rate: number | undefined): number {
  if (rate === undefined || !Number.isFinite(rate)) return DEFAULT_REPLAY_RATE;
  return Math.max(1, Math.min(MAX_REPLAY_RATE, rate));
}
