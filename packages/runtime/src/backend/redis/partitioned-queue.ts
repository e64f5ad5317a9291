import type { Task } from '../../model/task';
import type { QueueDepth, TaskQueue } from '../types';
import { groupByPartition, type Partitions } from './partitions';
import type { RedisTaskQueue } from './task-queue';

/**
 * The task queue of a partitioned hub: one BullMQ queue (and start stream)
 * per partition, under the partition's hash tag, so a run's tasks live
 * beside its run. A task goes to its run's partition; tasks of no run
 * (schedule ticks, bulk replay batches) go to partition 0, with the
 * hub-wide keys. A worker consumes every partition (or the subset it was
 * given), each with its own BullMQ worker and start relay, all sharing the
 * process's task slots (WorkerSlots), so it runs at most its concurrency
 * and takes from whichever partition has work.
 */
export class PartitionedTaskQueue implements TaskQueue {
  constructor(
    private readonly partitions: Partitions,
    readonly queues: readonly RedisTaskQueue[],
    /** The partitions this process consumes when it is a worker. */
    private readonly consumed: readonly number[],
  ) {}

  /** BullMQ's queue of partition 0: where the schedules' job schedulers live. */
  get queue() {
    return this.queues[0]!.queue;
  }

  async enqueue(tasks: readonly Task[], options: { delayMs?: number } = {}): Promise<void> {
    const groups = groupByPartition(tasks, (task) => this.of(task));
    await Promise.all([...groups].map(([p, group]) => this.queues[p]!.enqueue(group, options)));
  }

  consume(
    handler: (task: Task) => Promise<void>,
    options: { concurrency: number; onDead: (task: Task, error: unknown) => Promise<void> },
  ): void {
    for (const p of this.consumed) this.queues[p]!.consume(handler, options);
  }

  async stop(drainMs: number): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.stop(drainMs)));
  }

  async cancel(task: Task): Promise<void> {
    await this.queues[this.of(task)]!.cancel(task);
  }

  /** A task's partition: its run's, or 0 for a task of no run. */
  private of(task: Task): number {
    return 'run' in task ? this.partitions.ofRun(task.run) : 0;
  }

  async depth(): Promise<QueueDepth> {
    const all = await Promise.all(this.queues.map((queue) => queue.depth()));
    return all.reduce((sum, d) => ({
      waiting: sum.waiting + d.waiting,
      delayed: sum.delayed + d.delayed,
      active: sum.active + d.active,
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
