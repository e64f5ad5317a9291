import type { Redis } from 'ioredis';
import type { EngineLogger } from '../../log/logger';
import type { Task } from '../../model/task';
import { isUnavailable } from './errors';
import type { Keys } from './keys';

/** The consumer group every worker reads the start stream in. */
const GROUP = 'workers';
const BATCH = 256;
const BLOCK_MS = 2000;
/** A consumer idle this long with nothing pending is a process that went away: forget it. */
const FORGET_CONSUMER_MS = 3_600_000;

interface Entry {
  id: string;
  /** The start tasks of new runs, and the resume tasks of the waits ingest ended. */
  tasks: Task[];
}

export interface StartRelayOptions {
  /** Entries a consumer received but did not acknowledge for this long are taken over by another. */
  claimIdleMs: number;
  /** Told of failures that mean Redis is unavailable (the outage log): the loop retries them without a line each. */
  onUnavailable: (error: unknown) => void;
}

/**
 * Turns the run ids on the start stream (put there by ingest and replays,
 * and by the end of an ordered run for the next run of its key) into
 * BullMQ `start` jobs, in batches. Each worker process reads the stream in one consumer
 * group (XREADGROUP), adds the jobs (addBulk), then acknowledges and deletes
 * the entries. A process that dies holding entries leaves them pending;
 * another takes them over after `claimIdleMs` (XAUTOCLAIM). Adding a start
 * job twice is harmless: its job id is the task id.
 */
export class StartRelay {
  private running = false;
  private loop?: Promise<void>;
  private groupReady = false;
  private lastClaim = 0;
  private retryOwn = false;

  constructor(
    private readonly blocking: Redis,
    private readonly command: Redis,
    private readonly keys: Keys,
    private readonly consumer: string,
    private readonly enqueueTasks: (tasks: Task[]) => Promise<void>,
    private readonly log: EngineLogger,
    private readonly options: StartRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.blocking.status === 'wait' || this.blocking.status === 'end') {
      // A failed first connect is retried by the client; the loop waits it out.
      this.blocking.connect().catch(() => {});
    }
    this.loop = this.run();
  }

  /**
   * Stops reading, then relays what this consumer still holds, so nothing
   * waits for a takeover; forgets the consumer when it holds nothing.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    // Interrupts a blocking read at once; what it had received stays pending for us.
    this.blocking.disconnect();
    await this.loop;
    try {
      await this.relayOwnPending();
      if ((await this.ownPendingCount()) === 0) {
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
        const entries = await this.read(this.blocking, own ? '0' : '>', block);
        this.retryOwn = own && entries.length === BATCH;
        if (entries.length > 0) await this.relay(entries);
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

  private async read(redis: Redis, from: string, blockMs?: number): Promise<Entry[]> {
    const args = ['GROUP', GROUP, this.consumer, 'COUNT', BATCH];
    if (blockMs !== undefined) args.push('BLOCK', blockMs);
    const reply = await redis.call('XREADGROUP', ...args, 'STREAMS', this.keys.starts, from);
    if (!Array.isArray(reply) || reply.length === 0) return [];
    // One stream read: [[key, entries]], which ioredis 6's call() hands back as [key, entries].
    const stream = (typeof reply[0] === 'string' ? reply : reply[0]) as [string, [string, string[] | null][]];
    return parseEntries(stream[1] ?? []);
  }

  private async relay(entries: Entry[]): Promise<void> {
    const tasks = entries.flatMap((e) => e.tasks);
    if (tasks.length > 0) await this.enqueueTasks(tasks);
    const ids = entries.map((e) => e.id);
    await this.command
      .multi()
      .xack(this.keys.starts, GROUP, ...ids)
      .xdel(this.keys.starts, ...ids)
      .exec();
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
    const consumers = (await this.command.call('XINFO', 'CONSUMERS', this.keys.starts, GROUP)) as unknown[][];
    for (const row of consumers) {
      const info = toRecord(row);
      if (
        info.name !== this.consumer &&
        Number(info.pending) === 0 &&
        Number(info.idle) > FORGET_CONSUMER_MS
      ) {
        await this.command.call('XGROUP', 'DELCONSUMER', this.keys.starts, GROUP, String(info.name));
      }
    }
  }

  private async relayOwnPending(): Promise<void> {
    for (;;) {
      const entries = await this.read(this.command, '0');
      if (entries.length === 0) return;
      await this.relay(entries);
    }
  }

  private async ownPendingCount(): Promise<number> {
    const rows = (await this.command.call(
      'XPENDING',
      this.keys.starts,
      GROUP,
      '-',
      '+',
      1,
      this.consumer,
    )) as unknown[];
    return rows.length;
  }
}

/** Resolves when the client is ready, or after `timeoutMs` (the next call then fails and is retried). */
function ready(redis: Redis, timeoutMs: number): Promise<void> {
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

function parseEntries(raw: readonly [string, string[] | null][]): Entry[] {
  return raw.map(([id, fields]) => {
    // A claimed entry deleted meanwhile comes back without fields: acknowledge it, start nothing.
    const record = fields ? toRecord(fields) : {};
    const tasks: Task[] = listOf(record.runs).map((run) => ({ kind: 'start', run }));
    for (const waiter of listOf(record.resumes)) {
      const bar = waiter.indexOf('|');
      tasks.push({ kind: 'resume', run: waiter.slice(0, bar), step: waiter.slice(bar + 1) });
    }
    return { id, tasks };
  });
}

function listOf(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

function toRecord(flat: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}
