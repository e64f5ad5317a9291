import { type Task, taskId } from '../../model/task';
import type { QueueDepth, TaskQueue } from '../types';

/** setTimeout's longest wait; longer delays are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A throwing handler is retried this many times before the task is dead. */
const HANDLER_ATTEMPTS = 3;

/**
 * An in-process queue: ready tasks in FIFO order, delayed ones on timers.
 * Not durable: tasks are lost with the process, which `baton serve` says.
 */
export class EmbeddedTaskQueue implements TaskQueue {
  private ready: Task[] = [];
  /** Each ready task's id, at the same index: made once, when the task is added. */
  private readyIds: string[] = [];
  private head = 0;
  /** Ids of tasks waiting, delayed or being handled. */
  private readonly queued = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private active = 0;
  private handler?: (task: Task) => Promise<void>;
  private onDead?: (task: Task, error: unknown) => Promise<void>;
  private concurrency = 0;
  private stopped = false;
  private pumping = false;
  private idle?: () => void;

  async enqueue(tasks: readonly Task[], options: { delayMs?: number } = {}): Promise<void> {
    this.push(tasks, options.delayMs ?? 0);
  }

  /** enqueue(), at once: for the embedded backend's own stores, which need not wait a turn. */
  push(tasks: readonly Task[], delayMs = 0): void {
    if (this.stopped) return;
    for (const task of tasks) {
      const id = taskId(task);
      if (this.queued.has(id)) continue;
      this.queued.add(id);
      if (delayMs > 0) this.later(id, task, Date.now() + delayMs);
      else {
        this.ready.push(task);
        this.readyIds.push(id);
      }
    }
    this.schedulePump();
  }

  consume(
    handler: (task: Task) => Promise<void>,
    options: { concurrency: number; onDead: (task: Task, error: unknown) => Promise<void> },
  ): void {
    this.handler = handler;
    this.onDead = options.onDead;
    this.concurrency = Math.max(1, options.concurrency);
    this.stopped = false;
    this.schedulePump();
  }

  async stop(drainMs: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async cancel(task: Task): Promise<void> {
    const id = taskId(task);
    const timer = this.delayed.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.delayed.delete(id);
    this.queued.delete(id);
  }

  async depth(): Promise<QueueDepth> {
    return { waiting: this.ready.length - this.head, delayed: this.delayed.size, active: this.active };
  }

  private later(id: string, task: Task, dueAt: number): void {
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, dueAt - Date.now()));
    const timer = setTimeout(() => {
      if (Date.now() < dueAt - 1) {
        this.later(id, task, dueAt);
        return;
      }
      this.delayed.delete(id);
      this.ready.push(task);
      this.readyIds.push(id);
      this.pump();
    }, wait);
    timer.unref();
    this.delayed.set(id, timer);
  }

  private schedulePump(): void {
    if (this.pumping || !this.handler) return;
    this.pumping = true;
    queueMicrotask(() => {
      this.pumping = false;
      this.pump();
    });
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.stopped && this.active < this.concurrency && this.head < this.ready.length) {
      const task = this.ready[this.head]!;
      const id = this.readyIds[this.head]!;
      this.ready[this.head] = undefined as unknown as Task;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.head);
        this.readyIds = this.readyIds.slice(this.head);
        this.head = 0;
      }
      this.active += 1;
      void this.run(handler, task, id);
    }
  }

  private async run(handler: (task: Task) => Promise<void>, task: Task, id: string): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await handler(task);
          break;
        } catch (error) {
          if (attempt >= HANDLER_ATTEMPTS) {
            await this.onDead?.(task, error).catch(() => {});
            break;
          }
          await new Promise((r) => setTimeout(r, 50 * attempt));
        }
      }
    } finally {
      // The id stays taken while the task is handled, so a duplicate added meanwhile is dropped.
      this.queued.delete(id);
      this.active -= 1;
      if (this.active === 0 && this.stopped) this.idle?.();
      this.pump();
    }
  }
}
