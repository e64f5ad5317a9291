import type { Worker } from 'bullmq';
import { reconnectDelay } from './connections';

/**
 * The queue's BullMQ worker (made with `autorun: false`), run once its
 * connections are ready. BullMQ never starts again a worker whose
 * connection failed while it started: its connection promise stays
 * rejected, so each fetch fails at once and its fetch loop turns on
 * microtasks alone, holding the CPU, starving the process and never
 * fetching again (seen when a Redis Cluster died as a worker started). A
 * worker that fails to start is closed and made anew, with the
 * connections' reconnect backoff, until one is ready or it is released.
 */
export class ReadyWorker {
  private worker: Worker | undefined;

  constructor(
    private readonly make: () => Worker,
    private readonly onError: (error: Error) => void,
  ) {
    this.worker = make();
    void this.runWhenReady();
  }

  /** The worker, running or about to; none once released. */
  get current(): Worker | undefined {
    return this.worker;
  }

  /** Hands the worker over (to be paused and closed): none is made or run from here on. */
  release(): Worker | undefined {
    const worker = this.worker;
    this.worker = undefined;
    return worker;
  }

  private async runWhenReady(): Promise<void> {
    for (let attempt = 1; this.worker; attempt++) {
      const worker = this.worker;
      try {
        await worker.waitUntilReady();
      } catch (error) {
        this.onError(error as Error);
        await worker.close(true).catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
        if (this.worker === worker) this.worker = this.make();
        continue;
      }
      if (this.worker === worker) worker.run().catch((error: Error) => this.onError(error));
      return;
    }
  }
}

/** How long a stopping worker waits on Redis (to close, to hand tasks back) before it ends its connection. */
export const CLOSE_GRACE_MS = 2000;

/**
 * Waits for `work` to settle, at most `graceMs`; then calls `giveUp` and
 * goes on. For a worker's way out while Redis is away: BullMQ's close
 * waits for its fetch in flight and for its blocking connection to end (a
 * Cluster's never does while it reconnects), and a task handed back waits
 * for its write; ending the worker's connection (`giveUp`) fails what is
 * still queued on it, and the process stops all the same.
 */
export async function waitAtMost(work: Promise<unknown>, graceMs: number, giveUp: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      giveUp();
      resolve();
    }, graceMs);
  });
  try {
    await Promise.race([work.then(noop, noop), late]);
  } finally {
    clearTimeout(timer);
  }
}

const noop = () => {};
