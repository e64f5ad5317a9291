/**
 * A worker's task slots, shared by its BullMQ jobs and the run starts it
 * takes straight from the start stream, so it never runs more than its
 * concurrency at once: BullMQ may hand over a job while every slot is
 * taken (it fetched before a start took the slot), and that job waits
 * here for a slot, first in line, holding its lock as it would while running.
 */
export class TaskSlots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Slots nobody holds or waits for. */
  get free(): number {
    return Math.max(0, this.size - this.used - this.waiting.length);
  }

  /** Takes `count` slots at once if they are free now. */
  tryTake(count: number): boolean {
    if (count > this.free) return false;
    this.used += count;
    return true;
  }

  /** Takes a slot, waiting for one when none is free. */
  take(): Promise<void> {
    if (this.tryTake(1)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back: to the first waiting job, else free. */
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used -= 1;
  }
}

/**
 * The slots of one worker process, shared by the task queues of every
 * partition it consumes: the process runs at most its concurrency whatever
 * partition a task comes from, and each partition's BullMQ worker may fetch
 * what the others, and the starts run here, leave free.
 */
export class WorkerSlots {
  concurrency = 1;
  slots = new TaskSlots(1);
  private sized = false;
  private readonly members = new Set<() => void>();

  /** Sizes the slots on the first queue's `consume`; the other partitions' queues share them. */
  size(concurrency: number): void {
    if (this.sized) return;
    this.sized = true;
    this.concurrency = Math.max(1, concurrency);
    this.slots = new TaskSlots(this.concurrency);
  }

  /** Adds a queue told whenever a task of any member began or ended; returns its removal. */
  join(onChange: () => void): () => void {
    this.members.add(onChange);
    return () => this.members.delete(onChange);
  }

  changed(): void {
    for (const member of this.members) member();
  }
}
