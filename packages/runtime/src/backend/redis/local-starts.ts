import type { EngineLogger } from '../../log/logger';
import type { Task } from '../../model/task';
import type { RedisClient } from './client';
import { isUnavailable } from './errors';
import type { Keys } from './keys';
import { START_GROUP, type StartEntry } from './start-entries';
import { acknowledgeStarts } from './start-group';

/** What the worker lends the start stream: its task handler and how many more tasks it has room for. */
export interface StartRunner {
  handle(task: Task): Promise<void>;
  /** Free task slots of this process now (its queue's tasks in hand and the starts run here counted). */
  room(): number;
  /** Takes `count` slots if they are free now; `handle` gives each back when its task ended. */
  take(count: number): boolean;
  /** Told whenever starts began or ended here, so the worker can share its slots with its queue. */
  changed(): void;
}

export interface LocalStartsOptions {
  /** An entry held this long without a renewal is taken over by another worker. */
  claimIdleMs: number;
  onUnavailable: (error: unknown) => void;
  /** Adds tasks as queue jobs: a start whose handler threw, and starts handed back on stop. */
  enqueue: (tasks: Task[]) => Promise<void>;
  /** Told when an entry could not be settled (Redis trouble): the relay then relays its own pending entries. */
  onUnsettled: () => void;
}

/**
 * The start-stream entries this process runs itself, without a queue job:
 * a worker with room takes a new run's start from the stream and runs it
 * at once, which saves the job's three BullMQ scripts and two hops on the
 * way from the webhook to the run's first step. The entry stays pending in
 * the consumer group until its tasks ended, so a worker that dies holding
 * it leaves it to another (XAUTOCLAIM after `claimIdleMs`, as for entries
 * never relayed); while it runs, its idle time is reset every third of
 * that (XCLAIM … JUSTID, which does not count a delivery), as BullMQ
 * renews a job's lock. A start whose handler throws becomes a queue job,
 * so BullMQ's attempts, backoff and dead-lettering apply to it as to any task.
 */
export class LocalStarts {
  private readonly running = new Map<string, StartEntry>();
  private readonly handedBack = new Set<string>();
  private renewal: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly command: RedisClient,
    private readonly keys: Keys,
    private readonly consumer: string,
    private readonly log: EngineLogger,
    private readonly options: LocalStartsOptions,
  ) {}

  /** Entries running here now. */
  get size(): number {
    return this.running.size;
  }

  has(id: string): boolean {
    return this.running.has(id);
  }

  /** Starts running `entry`'s tasks here; settles the entry when they all ended. */
  run(entry: StartEntry, runner: StartRunner): void {
    this.running.set(entry.id, entry);
    if (!this.renewal) {
      this.renewal = setInterval(
        () => void this.renew(),
        Math.max(10, Math.floor(this.options.claimIdleMs / 3)),
      );
      this.renewal.unref?.();
    }
    void this.runEntry(entry, runner);
  }

  /**
   * Hands back the entries still running (stop, past the drain deadline):
   * their tasks become queue jobs for any worker and the entries are
   * acknowledged. A handler that still finishes here does no harm: it is idempotent.
   */
  async handBack(): Promise<void> {
    const entries = [...this.running.values()];
    this.stopRenewing();
    if (entries.length === 0) return;
    this.log.warn({ starts: entries.length }, 'handing back run starts still running at the drain deadline');
    for (const entry of entries) this.handedBack.add(entry.id);
    await this.options.enqueue(entries.flatMap((e) => e.tasks));
    await acknowledgeStarts(
      this.command,
      this.keys.starts,
      entries.map((e) => e.id),
    );
    for (const entry of entries) this.running.delete(entry.id);
  }

  private async runEntry(entry: StartEntry, runner: StartRunner): Promise<void> {
    const failed: Task[] = [];
    await Promise.all(
      entry.tasks.map((task) =>
        runner.handle(task).catch((err: unknown) => {
          failed.push(task);
          if (isUnavailable(err)) this.options.onUnavailable(err);
          else
            this.log.warn({ task, err: (err as Error)?.message }, 'run start failed; queued to be retried');
        }),
      ),
    );
    if (this.handedBack.delete(entry.id)) return runner.changed();
    try {
      if (failed.length > 0) await this.options.enqueue(failed);
      await acknowledgeStarts(this.command, this.keys.starts, [entry.id]);
    } catch (err) {
      // Left pending: the relay reads its own pending entries again and queues them (starts are idempotent).
      if (isUnavailable(err)) this.options.onUnavailable(err);
      else
        this.log.warn(
          { err: (err as Error)?.message },
          'could not settle a run start; it will be queued again',
        );
      this.options.onUnsettled();
    } finally {
      this.running.delete(entry.id);
      if (this.running.size === 0) this.stopRenewing();
      runner.changed();
    }
  }

  private async renew(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    try {
      await this.command.call('XCLAIM', this.keys.starts, START_GROUP, this.consumer, 0, ...ids, 'JUSTID');
    } catch (err) {
      if (isUnavailable(err)) this.options.onUnavailable(err);
      else this.log.warn({ err: (err as Error)?.message }, 'could not renew the run starts running here');
    }
  }

  private stopRenewing(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = undefined;
  }
}
