import type { EngineLogger } from '../../log/logger';
import type { Task } from '../../model/task';
import type { RedisClient } from './client';
import { isUnavailable } from './errors';
import type { Keys } from './keys';
import { LocalStarts, type StartRunner } from './local-starts';
import { BACKLOG_WAIT_MS, StartBacklog } from './start-backlog';
import { type StartEntry as Entry, START_GROUP as GROUP, parseEntries } from './start-entries';
import { acknowledgeStarts, forgetGoneConsumers, pendingOf } from './start-group';

const BATCH = 256;
const BLOCK_MS = 2000;

export interface StartRelayOptions {
  /** Entries a consumer received but did not acknowledge for this long are taken over by another. */
  claimIdleMs: number;
  /** Told of failures that mean Redis is unavailable (the outage log): the loop retries them without a line each. */
  onUnavailable: (error: unknown) => void;
  /**
   * How many new starts read without room may wait here for a slot
   * (StartBacklog): for a worker of several partitions, whose relays read
   * for the same free slots at once. 0, the default: they become queue jobs
   * at once, which another worker may take sooner. @default 0
   */
  backlog?: number;
}

/**
 * Hands the run ids on the start stream (put there by ingest and replays,
 * and by the end of an ordered run for the next run of its key) to the
 * workers. Each worker process reads the stream in one consumer group
 * (XREADGROUP), as many new entries as it has free task slots, and runs
 * them itself (LocalStarts); what it cannot run, and what it takes over,
 * it turns into BullMQ `start` jobs (addBulk), then acknowledges and
 * deletes the entries. A process that dies holding entries leaves them
 * pending; another takes them over after `claimIdleMs` (XAUTOCLAIM).
 * Starting a run twice is harmless: a start job's id is the task id, and
 * the start handler does nothing for a run already under way.
 */
export class StartRelay {
  private running = false;
  /** Started since it last finished: there may be entries of ours to settle. */
  private started = false;
  private loop?: Promise<void>;
  private groupReady = false;
  private lastClaim = 0;
  private retryOwn = false;
  private runner: StartRunner | undefined;
  private local: LocalStarts | undefined;
  private roomWaiter: (() => void) | undefined;
  private readonly backlog: StartBacklog;

  constructor(
    private readonly blocking: RedisClient,
    private readonly command: RedisClient,
    private readonly keys: Keys,
    private readonly consumer: string,
    private readonly enqueueTasks: (tasks: Task[]) => Promise<void>,
    private readonly log: EngineLogger,
    private readonly options: StartRelayOptions,
  ) {
    this.backlog = new StartBacklog(options.backlog ?? 0);
  }

  /** Runs new starts in this process with `runner`'s handler while it has room (a consuming worker). */
  attach(runner: StartRunner): void {
    this.runner = runner;
    this.local = new LocalStarts(this.command, this.keys, this.consumer, this.log, {
      claimIdleMs: this.options.claimIdleMs,
      onUnavailable: this.options.onUnavailable,
      enqueue: this.enqueueTasks,
      onUnsettled: () => {
        this.retryOwn = true;
      },
    });
  }

  /** Entries delivered to a worker and not yet acknowledged, over every consumer. */
  pendingCount(): Promise<number> {
    return pendingOf(this.command, this.keys.starts);
  }

  /** Entries this process runs itself now. */
  get runningHere(): number {
    return this.local?.size ?? 0;
  }

  /** A task slot came free: a relay waiting for room reads again. */
  notifyRoom(): void {
    this.roomWaiter?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.started = true;
    if (this.blocking.status === 'wait' || this.blocking.status === 'end') {
      // A failed first connect is retried by the client; the loop waits it out.
      this.blocking.connect().catch(() => {});
    }
    this.loop = this.run();
  }

  /** Stops reading, then settles what this consumer holds (`finish`). */
  async stop(): Promise<void> {
    await this.stopReading();
    await this.finish();
  }

  /** Stops reading the stream; the starts running here go on. */
  async stopReading(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    // Interrupts a blocking read at once; what it had received stays pending for us.
    this.blocking.disconnect();
    this.notifyRoom();
    await this.loop;
  }

  /**
   * Hands back the starts still running here and relays what this consumer
   * still holds, so nothing waits for a takeover; forgets the consumer when
   * it holds nothing.
   */
  async finish(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Waiting entries are pending to this consumer: relayOwnPending turns them into queue jobs.
    this.backlog.clear();
    try {
      await this.local?.handBack();
      await this.relayOwnPending();
      if ((await pendingOf(this.command, this.keys.starts, this.consumer)) === 0) {
        await this.command.call('XGROUP', 'DELCONSUMER', this.keys.starts, GROUP, this.consumer);
      }
    } catch (err) {
      this.log.warn({ err }, 'could not hand over the start stream entries on stop; another worker will');
    }
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        if (this.blocking.status !== 'ready') await ready(this.blocking, 1000);
        await this.ensureGroup();
        if (Date.now() - this.lastClaim > this.options.claimIdleMs / 2) await this.claimStale();
        // Wake up in time for the next takeover check.
        const block = Math.max(10, Math.min(BLOCK_MS, Math.floor(this.options.claimIdleMs / 2)));
        // After a failure, what this consumer received but did not relay comes first.
        const own = this.retryOwn;
        if (own) {
          const entries = await this.read(this.blocking, '0', undefined);
          this.retryOwn = entries.length === BATCH;
          const settled = entries.filter((e) => !this.local?.has(e.id) && !this.backlog.has(e.id));
          if (settled.length > 0) await this.relay(settled);
          continue;
        }
        // Starts read without room go first, as slots free; no new ones are read meanwhile.
        if (this.backlog.size > 0 && this.runner && this.local) {
          const { runner, local } = this;
          const due = this.backlog.drain(runner, (entry) => local.run(entry, runner));
          if (due.length > 0) await this.relay(due);
          if (this.backlog.size > 0) await this.waitForRoom(BACKLOG_WAIT_MS);
          continue;
        }
        // A worker reads no more new starts than it has room for: the others take the rest.
        const room = this.runner ? await this.waitForRoom(block) : BATCH;
        if (room === 0) continue;
        const entries = await this.read(this.blocking, '>', block, Math.min(BATCH, room));
        if (entries.length > 0) await this.relay(entries, true);
        backoff = 100;
      } catch (err) {
        if (!this.running) break;
        this.retryOwn = true;
        if (String((err as Error)?.message).includes('NOGROUP')) this.groupReady = false;
        if (isUnavailable(err)) this.options.onUnavailable(err);
        else this.log.warn({ err: (err as Error)?.message }, 'start relay: Redis call failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      // From the start of the stream: entries added before any worker existed are runs too.
      await this.command.call('XGROUP', 'CREATE', this.keys.starts, GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error)?.message).includes('BUSYGROUP')) throw err;
    }
    this.groupReady = true;
  }

  /** The free slots of this worker, waiting up to `timeoutMs` for one to come free. */
  private async waitForRoom(timeoutMs: number): Promise<number> {
    const room = this.runner!.room();
    if (room > 0 || !this.running) return room;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.roomWaiter = done;
    });
    this.roomWaiter = undefined;
    return this.runner!.room();
  }

  private async read(redis: RedisClient, from: string, blockMs?: number, count = BATCH): Promise<Entry[]> {
    const args = ['GROUP', GROUP, this.consumer, 'COUNT', count];
    if (blockMs !== undefined) args.push('BLOCK', blockMs);
    const reply = await redis.call('XREADGROUP', ...args, 'STREAMS', this.keys.starts, from);
    if (!Array.isArray(reply) || reply.length === 0) return [];
    // One stream read: [[key, entries]], which ioredis 6's call() hands back as [key, entries].
    const stream = (typeof reply[0] === 'string' ? reply : reply[0]) as [string, [string, string[] | null][]];
    return parseEntries(stream[1] ?? []);
  }

  /**
   * Runs new entries here while this worker has room for all of an entry's
   * tasks; the others wait for a slot in the backlog (StartBacklog), or are
   * queued when it is full, as is every entry taken over or read again
   * (which may have been started before: the queue collapses duplicates).
   */
  private async relay(all: Entry[], fresh = false): Promise<void> {
    let entries = all;
    const { runner, local } = this;
    if (fresh && runner && local) {
      const here = entries.filter((e) => e.tasks.length > 0 && runner.take(e.tasks.length));
      for (const entry of here) local.run(entry, runner);
      if (here.length > 0) runner.changed();
      if (here.length === entries.length) return;
      entries = this.backlog.add(entries.filter((e) => !local.has(e.id)));
      if (entries.length === 0) return;
    }
    const tasks = entries.flatMap((e) => e.tasks);
    if (tasks.length > 0) await this.enqueueTasks(tasks);
    const ids = entries.map((e) => e.id);
    await acknowledgeStarts(this.command, this.keys.starts, ids);
  }

  /** Takes over entries another consumer held too long, and forgets consumers long gone. */
  private async claimStale(): Promise<void> {
    this.lastClaim = Date.now();
    let cursor = '0-0';
    do {
      const [next, claimed] = (await this.command.call(
        'XAUTOCLAIM',
        this.keys.starts,
        GROUP,
        this.consumer,
        this.options.claimIdleMs,
        cursor,
        'COUNT',
        BATCH,
      )) as [string, [string, string[] | null][]];
      const entries = parseEntries(claimed);
      if (entries.length > 0) {
        this.log.info({ entries: entries.length }, 'start relay: took over entries of a stopped worker');
        await this.relay(entries);
      }
      cursor = next;
    } while (cursor !== '0-0' && this.running);
    await forgetGoneConsumers(this.command, this.keys.starts, this.consumer);
  }

  private async relayOwnPending(): Promise<void> {
    for (;;) {
      const entries = (await this.read(this.command, '0')).filter((e) => !this.local?.has(e.id));
      if (entries.length === 0) return;
      await this.relay(entries);
    }
  }
}

/** Resolves when the client is ready, or after `timeoutMs` (the next call then fails and is retried). */
function ready(redis: RedisClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}
