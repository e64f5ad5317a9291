import type { ReplayJob, ReplayOutcome } from '../../model/replay-job';
import type { ReplayJobStore } from '../types';

interface Entry {
  job?: ReplayJob;
  key?: string;
  runIds: string[];
  next: number;
  outcomes: Map<string, ReplayOutcome>;
}

/** Finished jobs kept for their progress to be read; older ones are dropped first. */
const KEEP_FINISHED = 100;

/** Replay jobs in process memory: lost with the process, like everything embedded. */
export class EmbeddedReplayJobStore implements ReplayJobStore {
  private readonly jobs = new Map<string, Entry>();
  /** Finished job ids, oldest first. */
  private readonly finished: string[] = [];
  /** The running job of each filter key. */
  private readonly running = new Map<string, string>();

  async addRuns(jobId: string, runIds: readonly string[]): Promise<void> {
    this.entry(jobId).runIds.push(...runIds);
  }

  async start(job: ReplayJob, key: string): Promise<{ job: ReplayJob; created: boolean }> {
    const existing = this.running.get(key);
    const current = existing ? await this.get(existing) : undefined;
    if (current?.status === 'running') {
      this.jobs.delete(job.jobId);
      return { job: current, created: false };
    }
    const entry = this.entry(job.jobId);
    entry.job = { ...job, matched: entry.runIds.length };
    entry.key = key;
    this.running.set(key, job.jobId);
    return { job: entry.job, created: true };
  }

  async get(jobId: string): Promise<ReplayJob | undefined> {
    const entry = this.jobs.get(jobId);
    if (!entry?.job) return undefined;
    const counts = { replayed: 0, skipped: 0, failed: 0 };
    for (const outcome of entry.outcomes.values()) counts[outcome]++;
    return { ...entry.job, ...counts };
  }

  async runIds(jobId: string, offset: number, count: number): Promise<string[]> {
    return this.jobs.get(jobId)?.runIds.slice(offset, offset + count) ?? [];
  }

  async record(jobId: string, runId: string, outcome: ReplayOutcome): Promise<void> {
    this.jobs.get(jobId)?.outcomes.set(runId, outcome);
  }

  async next(jobId: string): Promise<number> {
    return this.jobs.get(jobId)?.next ?? 0;
  }

  async advance(jobId: string, offset: number): Promise<void> {
    const entry = this.jobs.get(jobId);
    if (entry) entry.next = Math.max(entry.next, offset);
  }

  async finish(jobId: string, key: string, endedAt: string): Promise<void> {
    const entry = this.jobs.get(jobId);
    if (entry?.job && entry.job.status !== 'done') {
      entry.job = { ...entry.job, status: 'done', endedAt };
      this.finished.push(jobId);
      while (this.finished.length > KEEP_FINISHED) this.jobs.delete(this.finished.shift()!);
    }
    if (this.running.get(key) === jobId) this.running.delete(key);
  }

  private entry(jobId: string): Entry {
    let entry = this.jobs.get(jobId);
    if (!entry) {
      entry = { runIds: [], next: 0, outcomes: new Map() };
      this.jobs.set(jobId, entry);
    }
    return entry;
  }
}
