import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { EngineLogger } from '../../log/logger';
import { type Task, taskId } from '../../model/task';
import type { QueueDepth, TaskQueue } from '../types';
import type { RedisClient } from './client';
import { guard, isUnavailable } from './errors';
import { type Keys, QUEUE_NAME } from './keys';
import type { StartRelay } from './start-relay';
import { WorkerSlots } from './task-slots';
import { CLOSE_GRACE_MS, ReadyWorker, waitAtMost } from './worker-start';

/** How the BullMQ queue runs tasks. */
export interface QueueSettings {
  /**
   * How long a worker's claim on a task lasts without renewal (it renews
   * every half of it): after a worker dies, its tasks are taken over once
   * this passed. @default 30000
   */
  lockDurationMs: number;
  /** How often workers look for tasks whose worker died. @default 30000 */
  stalledIntervalMs: number;
  /** Times a task whose handler throws is tried before it is dead and its run fails. @default 3 */
  attempts: number;
  /** Times a task may be taken over from a dead worker before it is dead: a task that kills workers. @default 3 */
  maxStalls: number;
  /** How long and how many finished jobs are kept, for inspection. @default 3600 s, 1000 */
  keepFinished: { ageSeconds: number; count: number };
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  attempts: 3,
  maxStalls: 3,
  keepFinished: { ageSeconds: 3600, count: 1000 },
};

/** BullMQ refuses `:` in job ids (a tick's time has some): escape it, reversibly. */
export function jobIdOf(task: Task): string {
  return taskId(task).replaceAll('%', '%25').replaceAll(':', '%3A');
}

/**
 * The task queue on BullMQ: one job per task with the task id as job id,
 * so duplicates collapse; delayed jobs for retry waits and delays; job
 * attempts for handlers that throw, then `onDead`; BullMQ's lock and
 * stalled-job check for workers that die mid-task. Runs ingested through
 * the start stream become jobs in the StartRelay.
 */
export class RedisTaskQueue implements TaskQueue {
  readonly queue: Queue;
  private worker: ReadyWorker | undefined;
  /** The connection handed to BullMQ's Worker: it duplicates it, and also uses it as is (then leaves it open). */
  private connection: RedisClient | undefined;
  private readonly inHand = new Map<string, { job: Job; token: string }>();
  private onDrained: (() => void) | undefined;
  private leavePool: (() => void) | undefined;

  constructor(
    private readonly command: RedisClient,
    queueConnection: RedisClient,
    private readonly workerConnection: () => RedisClient,
    private readonly keys: Keys,
    private readonly relay: StartRelay,
    private readonly settings: QueueSettings,
    private readonly log: EngineLogger,
    /** Told of errors that mean Redis is unavailable (the outage log), instead of a line each. */
    private readonly onUnavailable: (error: unknown) => void,
    /** The process's slots: shared with the queues of the other partitions it consumes. */
    private readonly pool: WorkerSlots = new WorkerSlots(),
  ) {
    this.queue = new Queue(QUEUE_NAME, {
      connection: queueConnection,
      prefix: keys.prefix,
      defaultJobOptions: {
        attempts: settings.attempts,
        backoff: { type: 'exponential', delay: 200 },
        removeOnComplete: { age: settings.keepFinished.ageSeconds, count: settings.keepFinished.count },
        removeOnFail: { age: settings.keepFinished.ageSeconds * 24, count: settings.keepFinished.count },
      },
      // BullMQ's own event log: we do not read it, keep it short.
      streams: { events: { maxLen: 1000 } },
    });
    this.queue.on('error', (err) => this.onError(err, 'BullMQ queue error'));
  }

  async enqueue(tasks: readonly Task[], options: { delayMs?: number } = {}): Promise<void> {
    if (tasks.length === 0) return;
    const delay = Math.max(0, Math.round(options.delayMs ?? 0));
    const jobs = tasks.map((task) => ({
      name: task.kind,
      data: task,
      opts: { jobId: jobIdOf(task), ...(delay > 0 ? { delay } : {}) },
    }));
    // Most steps queue one task: a plain add is one script call, addBulk a transaction around it.
    const [only] = jobs;
    await guard(async () => {
      if (jobs.length === 1 && only) await this.queue.add(only.name, only.data, only.opts);
      else await this.queue.addBulk(jobs);
    });
  }

  consume(
    handler: (task: Task) => Promise<void>,
    options: { concurrency: number; onDead: (task: Task, error: unknown) => Promise<void> },
  ): void {
    if (this.worker) return;
    const { settings } = this;
    const process = async (job: Job, token?: string): Promise<void> => {
      const task = taskOf(job);
      if (token) this.inHand.set(job.id!, { job, token });
      try {
        if (job.stalledCounter > settings.maxStalls) {
          const error = new Error(
            `its worker stopped mid-task ${job.stalledCounter} times (killed or crashed)`,
          );
          await options.onDead(task, error);
          return;
        }
        await this.pool.slots.take();
        try {
          await handler(task);
        } catch (error) {
          if (isUnavailable(error) && token) {
            this.onUnavailable(error);
            // Redis trouble is not the task's fault: try again soon without spending an attempt.
            await job.moveToDelayed(Date.now() + 1000, token);
            throw new DelayedError();
          }
          if (job.attemptsMade + 1 >= settings.attempts) {
            await options.onDead(task, error);
            return;
          }
          throw error;
        } finally {
          this.pool.slots.give();
        }
      } finally {
        this.inHand.delete(job.id!);
        this.pool.changed();
      }
    };
    const { pool } = this;
    pool.size(options.concurrency);
    this.leavePool = pool.join(() => this.rebalance());
    // New runs' starts run straight from the start stream in the slots this worker has free (LocalStarts).
    this.relay.attach({
      handle: async (task) => {
        try {
          await handler(task);
        } finally {
          pool.slots.give();
        }
      },
      room: () => pool.slots.free,
      take: (count) => pool.slots.tryTake(count),
      changed: () => pool.changed(),
    });
    const connection = this.workerConnection();
    this.connection = connection;
    const make = () => {
      const worker = new Worker(QUEUE_NAME, process, {
        connection,
        prefix: this.keys.prefix,
        concurrency: pool.concurrency,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
        // Stalls are counted in `process` (job.stalledCounter) so a poison task still reaches onDead.
        maxStalledCount: Number.MAX_SAFE_INTEGER,
        autorun: false,
      });
      worker.on('error', (err) => this.onError(err, 'BullMQ worker error'));
      return worker;
    };
    this.worker = new ReadyWorker(make, (err) => this.onError(err, 'BullMQ worker error'));
    this.relay.start();
  }

  /**
   * Stops taking tasks and waits up to `drainMs` for those in hand. Tasks
   * still running then are handed back (moved to wait) for another worker;
   * their handlers are idempotent, so one that still finishes here does no harm.
   */
  async stop(drainMs: number): Promise<void> {
    await this.relay.stopReading();
    const worker = this.worker?.release();
    this.worker = undefined;
    if (!worker) {
      await this.relay.finish();
      return;
    }
    // Take nothing new; a fetch already under way may still bring one task, which joins those in hand.
    await worker.pause(true);
    const endConnection = () => this.closeConnection();
    if (await this.drained(drainMs)) {
      await waitAtMost(worker.close(), CLOSE_GRACE_MS, endConnection);
      this.closeConnection();
      await this.relay.finish();
      return;
    }
    const left = [...this.inHand.values()];
    if (left.length > 0)
      this.log.warn({ tasks: left.length }, 'handing back tasks still running at the drain deadline');
    const handBack = left.map(({ job, token }) =>
      job.moveToWait(token).catch((err: unknown) => {
        // Its lock lapses and the stalled-job check hands it over instead.
        this.log.warn({ job: job.id, err: (err as Error).message }, 'could not hand a task back');
      }),
    );
    await waitAtMost(Promise.all(handBack), CLOSE_GRACE_MS, endConnection);
    // Without waiting for the handlers given up on: their results are no longer ours to record.
    await waitAtMost(worker.close(true), CLOSE_GRACE_MS, endConnection);
    this.closeConnection();
    // Once this worker takes no job: the starts still running here become jobs for another worker.
    await this.relay.finish();
  }

  /** BullMQ reports each failed reconnect and poll while Redis is away: those are one outage, not a line each. */
  private onError(err: Error, message: string): void {
    if (isUnavailable(err)) this.onUnavailable(err);
    else this.log.warn({ err: err.message }, message);
  }

  private closeConnection(): void {
    this.connection?.disconnect();
    this.connection = undefined;
  }

  /**
   * A task of this worker began or ended: BullMQ may hold the jobs it has
   * and fetch as many more as slots are free (a job fetched beyond that
   * would only wait in TaskSlots, its lock held) — free of the starts
   * running here and, on a partitioned hub, of the other partitions' jobs,
   * whose queues share the slots — and a relay waiting for room reads again.
   */
  private rebalance(): void {
    const worker = this.worker?.current;
    if (worker) worker.concurrency = Math.max(1, this.inHand.size + this.pool.slots.free);
    this.relay.notifyRoom();
    if (this.busy() === 0) this.onDrained?.();
  }

  private busy(): number {
    return this.inHand.size + this.relay.runningHere;
  }

  /** Resolves true once no task is in hand, or false after `timeoutMs`. */
  private drained(timeoutMs: number): Promise<boolean> {
    if (this.busy() === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onDrained = undefined;
        resolve(false);
      }, timeoutMs);
      this.onDrained = () => {
        clearTimeout(timer);
        this.onDrained = undefined;
        resolve(true);
      };
    });
  }

  async cancel(task: Task): Promise<void> {
    // Only a delayed job: one waiting or in hand is about to run and finds the run ended itself.
    const job = await guard(() => this.queue.getJob(jobIdOf(task)));
    if (job && (await guard(() => job.isDelayed()))) await guard(() => job.remove());
  }

  async depth(): Promise<QueueDepth> {
    const [counts, unrelayed, held] = await guard(() =>
      Promise.all([
        this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active'),
        this.command.xlen(this.keys.starts),
        this.relay.pendingCount(),
      ]),
    );
    // Start-stream entries a worker holds are starts running there (or about to become jobs).
    return {
      waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0) + unrelayed - held,
      delayed: counts.delayed ?? 0,
      active: (counts.active ?? 0) + held,
    };
  }

  async close(): Promise<void> {
    await this.stop(0);
    this.leavePool?.();
    await this.queue.close();
  }
}

/** The task a job carries; a job made by a BullMQ job scheduler is a schedule tick at its planned time. */
function taskOf(job: Job): Task {
  if (job.repeatJobKey) {
    const at = job.opts.prevMillis ?? job.timestamp;
    return { kind: 'tick', flow: (job.data as { flow: string }).flow, at: new Date(at).toISOString() };
  }
  return job.data as Task;
}
