import { createHash } from 'node:crypto';
import type { ReplayFilter, ReplayJob, ReplayOutcome } from '../../model/replay-job';
import type { ReplayJobStore } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

/** How long a job's keys are kept after it ended, and a prepared job that never started. */
const KEEP_SECONDS = 7 * 86_400;
/** A running job's claim on its filter, should its end never be recorded. */
const RUNNING_CLAIM_SECONDS = 86_400;
const OUTCOMES: readonly ReplayOutcome[] = ['replayed', 'skipped', 'failed'];

/**
 * Replay jobs in Redis: a hash per job, its run ids in a list, one set of
 * run ids per outcome (so a batch handled twice counts each run once), and
 * a SET NX claim per filter that makes a repeated request answer the job
 * already running for it.
 */
export class RedisReplayJobStore implements ReplayJobStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  async addRuns(jobId: string, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    const { runs } = this.keys.replayJob(jobId);
    await guard(() =>
      this.redis
        .multi()
        .rpush(runs, ...runIds)
        .expire(runs, KEEP_SECONDS)
        .exec(),
    );
  }

  async start(job: ReplayJob, key: string): Promise<{ job: ReplayJob; created: boolean }> {
    const keys = this.keys.replayJob(job.jobId);
    const claim = this.keys.replayRunning(hashOf(key));
    const matched = await guard(() => this.redis.llen(keys.runs));
    const stored = { ...job, matched };
    await guard(() => this.redis.hset(keys.job, encode(stored)));
    for (;;) {
      const won = await guard(() => this.redis.set(claim, job.jobId, 'EX', RUNNING_CLAIM_SECONDS, 'NX'));
      if (won === 'OK') {
        await guard(() => this.redis.persist(keys.runs));
        return { job: stored, created: true };
      }
      const holder = await guard(() => this.redis.get(claim));
      const current = holder ? await this.get(holder) : undefined;
      if (current?.status === 'running') {
        await guard(() => this.redis.del(keys.job, keys.runs));
        return { job: current, created: false };
      }
      // The holder ended without releasing its claim (or expired): take it over.
      if (holder) await guard(() => this.redis.del(claim));
    }
  }

  async get(jobId: string): Promise<ReplayJob | undefined> {
    const keys = this.keys.replayJob(jobId);
    const results = await guard(() =>
      this.redis.multi().hgetall(keys.job).scard(keys.replayed).scard(keys.skipped).scard(keys.failed).exec(),
    );
    const [hash, replayed, skipped, failed] = (results ?? []).map(([, value]) => value) as [
      Record<string, string>,
      number,
      number,
      number,
    ];
    if (!hash?.jobId) return undefined;
    return decode(hash, { replayed, skipped, failed });
  }

  async runIds(jobId: string, offset: number, count: number): Promise<string[]> {
    if (count <= 0) return [];
    return guard(() => this.redis.lrange(this.keys.replayJob(jobId).runs, offset, offset + count - 1));
  }

  async record(jobId: string, runId: string, outcome: ReplayOutcome): Promise<void> {
    const keys = this.keys.replayJob(jobId);
    const tx = this.redis.multi().sadd(keys[outcome], runId);
    for (const other of OUTCOMES) if (other !== outcome) tx.srem(keys[other], runId);
    await guard(() => tx.exec());
  }

  async next(jobId: string): Promise<number> {
    const next = await guard(() => this.redis.hget(this.keys.replayJob(jobId).job, 'next'));
    return next ? Number(next) : 0;
  }

  async advance(jobId: string, offset: number): Promise<void> {
    const key = this.keys.replayJob(jobId).job;
    // Forward only: a stale redelivery of an earlier batch must not move it back.
    const next = await this.next(jobId);
    if (offset > next) await guard(() => this.redis.hset(key, 'next', String(offset)));
  }

  async finish(jobId: string, key: string, endedAt: string): Promise<void> {
    const keys = this.keys.replayJob(jobId);
    const claim = this.keys.replayRunning(hashOf(key));
    await guard(() =>
      this.redis
        .multi()
        .hset(keys.job, 'status', 'done', 'endedAt', endedAt)
        .expire(keys.job, KEEP_SECONDS)
        .expire(keys.runs, KEEP_SECONDS)
        .expire(keys.replayed, KEEP_SECONDS)
        .expire(keys.skipped, KEEP_SECONDS)
        .expire(keys.failed, KEEP_SECONDS)
        .exec(),
    );
    if ((await guard(() => this.redis.get(claim))) === jobId) await guard(() => this.redis.del(claim));
  }
}

function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function encode(job: ReplayJob): Record<string, string> {
  return {
    jobId: job.jobId,
    filter: JSON.stringify(job.filter),
    matched: String(job.matched),
    status: job.status,
    rate: String(job.rate),
    actor: job.actor,
    startedAt: job.startedAt,
    ...(job.endedAt ? { endedAt: job.endedAt } : {}),
  };
}

function decode(
  hash: Record<string, string>,
  counts: Pick<ReplayJob, 'replayed' | 'skipped' | 'failed'>,
): ReplayJob {
  return {
    jobId: hash.jobId!,
    filter: JSON.parse(hash.filter ?? '{}') as ReplayFilter,
    matched: Number(hash.matched ?? 0),
    ...counts,
    status: hash.status === 'done' ? 'done' : 'running',
    rate: Number(hash.rate ?? 0),
    actor: hash.actor ?? 'api',
    startedAt: hash.startedAt ?? '',
    ...(hash.endedAt ? { endedAt: hash.endedAt } : {}),
  };
}
