import { createHash } from 'node:crypto';
import type { AuditEntry, CloudEvent, RunRecord } from '../../model/run-record';
import type { EventLog, EventWaitKeys, IngestAnswer } from '../types';
import { acceptedDurability, type Durability } from './durability';
import { guard } from './errors';
import type { Keys } from './keys';
import { INGEST_LUA } from './lua/ingest';
import { eventToJson, runFields } from './run-codec';
import type { ScriptedRedis } from './scripts';

/**
 * How long an event that waits may match is kept at least, whatever the
 * lookback: a wait registered shortly after its step was written waiting
 * (or again, after a worker crash) still finds an event that arrived in
 * between.
 */
const RACE_KEEP_MS = 120_000;

/** Most events one transaction records: each holds Redis for its whole length. */
const MAX_BATCH = 64;

/** What the ingest script is sent as inside a transaction (EVALSHA: ioredis loads it only outside one). */
const INGEST_SHA = createHash('sha1').update(INGEST_LUA).digest('hex');

/**
 * How long a replay staged beside its original (claimReplay) is kept for
 * the next replay request to finish, should the process die before writing
 * it in its own partition; and how long that partition remembers it made it.
 */
const STAGED_KEEP_MS = 86_400_000;

/** A replay's new run, staged beside its original: its id, and what its partition's keys need. */
export interface StagedReplay {
  id: string;
  flow: string;
  orderKey?: string;
  /** Its hash's field/value items. */
  fields: string[];
}

/** One event waiting for the next transaction. */
interface Pending {
  keys: string[];
  args: string[];
  /** Its new runs' hashes as HSET arguments: the key, then field/value items. */
  hashes: string[][];
  settle(result: { first: string | null } | { error: unknown }): void;
}

/**
 * Ingest on Redis: one transaction writes the event's new run hashes
 * (plain HSETs) and runs the ingest script, which records the dedup entry
 * (deleting the hashes of a duplicate), the runs' index entries, and hands
 * the run ids to the workers on a stream (see start-relay.ts), atomically.
 * The events that arrive while the process is busy (the webhooks of one
 * turn of the event loop) share one transaction: the gateway's hot path
 * costs one round trip, and Redis one script run, per batch rather than
 * per webhook. BullMQ jobs for the runs are made by the workers, in
 * batches. The dedup entry expires with the window, whatever BullMQ keeps.
 */
export class RedisEventLog implements EventLog {
  private pending: Pending[] = [];

  /**
   * Whether the ingest script is known to be in the server's script cache:
   * until it is (a new connection, a reconnect after Redis restarted), the
   * transaction carries the script in full (EVAL) rather than its hash, so
   * it cannot fail with NOSCRIPT after the runs' hashes were written.
   */
  private scriptCached = false;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly durability: Durability,
  ) {
    redis.on('ready', () => {
      this.scriptCached = false;
    });
  }

  /**
   * For a partitioned hub (partitioned-events.ts), which writes parts of an
   * event in other partitions: `answerRuns` and `answerResumed` are what the
   * event's answer lists when that is more than this call writes, and
   * `part` records the call as a part of the event, under a dedup entry of its own.
   */
  async ingest(
    event: CloudEvent,
    runs: readonly RunRecord[],
    options: {
      dedupWindowMs: number;
      dataJson?: string;
      waits?: EventWaitKeys;
      answerRuns?: IngestAnswer['runs'];
      answerResumed?: IngestAnswer['resumed'];
      part?: boolean;
    },
  ) {
    const { keys } = this;
    const answer: IngestAnswer = {
      eventId: event.id,
      runs: options.answerRuns ?? runs.map((r) => ({ flow: r.flow, runId: r.id })),
    };
    if (options.answerResumed?.length) answer.resumed = options.answerResumed;
    const eventKeys = [
      options.part ? keys.dedupPart(event.source, event.id) : keys.dedup(event.source, event.id),
    ];
    const args = [
      JSON.stringify(answer),
      String(Math.max(1, Math.ceil(options.dedupWindowMs))),
      String(runs.length),
    ];
    const waitKeys = options.waits?.keys ?? [];
    const eventJson = runs.length > 0 || waitKeys.length > 0 ? eventToJson(event, options.dataJson) : '';
    const hashes: string[][] = [];
    for (const run of runs) {
      const runKey = keys.run(run.id);
      const hash = runFields(run, eventJson);
      hash.unshift(runKey);
      hashes.push(hash);
      eventKeys.push(runKey, keys.flowRuns(run.flow));
      if (run.orderKey === undefined) args.push(run.id);
      else {
        // ">" says the run is ordered and its line follows its flow index.
        eventKeys.push(keys.orderLine(run.flow, run.orderKey));
        args.push(`>${run.id}`);
      }
    }
    args.push(String(waitKeys.length));
    if (waitKeys.length > 0) args.push(eventJson);
    for (const { key, lookbackMs } of waitKeys) {
      eventKeys.push(
        keys.waiters(event.source, event.type, key),
        keys.recentEvents(event.source, event.type, key),
      );
      args.push(String(Math.max(lookbackMs, RACE_KEEP_MS)));
    }
    const result = await new Promise<{ first: string | null } | { error: unknown }>((settle) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ keys: eventKeys, args, hashes, settle });
    });
    if ('error' in result) throw result.error;
    // A duplicate's first copy may still be on its way to disk: confirm it too (accepted
    // durability has nothing to wait for, and costs no turn of the event loop).
    if (this.durability !== acceptedDurability) await this.durability.confirm();
    const first = result.first;
    if (first !== null && !first.startsWith('R'))
      return { duplicate: true as const, answer: JSON.parse(first) as IngestAnswer };
    if (first !== null) answer.resumed = JSON.parse(first.slice(1)) as NonNullable<IngestAnswer['resumed']>;
    return { duplicate: false as const, answer };
  }

  /** The answer recorded for `source`+`eventId` within its dedup window, if any. */
  async firstAnswer(source: string, eventId: string): Promise<IngestAnswer | undefined> {
    const first = await guard(() => this.redis.get(this.keys.dedup(source, eventId)));
    return first === null ? undefined : (JSON.parse(first) as IngestAnswer);
  }

  /** See lua/replay-run.ts: the claim, the new run and its hand-off to the workers in one script. */
  async replay(originalId: string, run: RunRecord, audit: AuditEntry) {
    const reply = await guard(() =>
      this.redis.batonReplayRun(
        this.keys.run(originalId),
        ...this.newRunKeys(run.id, run.flow, run.orderKey),
        run.id,
        JSON.stringify(audit),
        run.orderKey === undefined ? '0' : '1',
        ...runFields(run),
      ),
    );
    if (reply === 0) return undefined;
    await this.durability.confirm();
    return { runId: reply, created: reply === run.id };
  }

  /**
   * A replay's first write when its run lives in another partition
   * (partitioned-replay.ts): the claim, with the run staged beside the
   * original. Answers the replay's id, or undefined when there is no run `originalId`.
   */
  async claimReplay(originalId: string, run: RunRecord, audit: AuditEntry): Promise<string | undefined> {
    const staged: StagedReplay = { id: run.id, flow: run.flow, fields: runFields(run) };
    if (run.orderKey !== undefined) staged.orderKey = run.orderKey;
    const reply = await guard(() =>
      this.redis.batonReplayClaim(
        this.keys.run(originalId),
        this.keys.replayStaged(originalId),
        run.id,
        JSON.stringify(audit),
        JSON.stringify(staged),
        STAGED_KEEP_MS,
      ),
    );
    if (reply === 0) return undefined;
    await this.durability.confirm();
    return reply;
  }

  /** The replay of `originalId` staged here and not yet written in its partition, if any. */
  async stagedReplay(originalId: string): Promise<StagedReplay | undefined> {
    const staged = await guard(() => this.redis.get(this.keys.replayStaged(originalId)));
    return staged === null ? undefined : (JSON.parse(staged) as StagedReplay);
  }

  async dropStagedReplay(originalId: string): Promise<void> {
    await guard(() => this.redis.del(this.keys.replayStaged(originalId)));
  }

  /** A replay's second write, in the new run's partition: creates the staged run, once. */
  async createStagedReplay(staged: StagedReplay): Promise<void> {
    await guard(() =>
      this.redis.batonReplayCreate(
        this.keys.replayMade(staged.id),
        ...this.newRunKeys(staged.id, staged.flow, staged.orderKey),
        staged.id,
        STAGED_KEEP_MS,
        staged.orderKey === undefined ? '0' : '1',
        ...staged.fields,
      ),
    );
    await this.durability.confirm();
  }

  /**
   * A new run's six keys: its hash, the start stream, its index entries and
   * its order line (its hash again as a stand-in when it is not ordered: the
   * replay scripts take a fixed count, see lua/replay-run.ts).
   */
  private newRunKeys(runId: string, flow: string, orderKey: string | undefined): string[] {
    const { keys } = this;
    const hash = keys.run(runId);
    const line = orderKey === undefined ? hash : keys.orderLine(flow, orderKey);
    return [hash, keys.starts, keys.allRuns, keys.statusRuns('queued'), keys.flowRuns(flow), line];
  }

  /** Records what is pending, in transactions of at most MAX_BATCH events. */
  private async flush(): Promise<void> {
    const batches: Pending[][] = [];
    for (let i = 0; i < this.pending.length; i += MAX_BATCH)
      batches.push(this.pending.slice(i, i + MAX_BATCH));
    this.pending = [];
    await Promise.all(batches.map((batch) => this.record(batch)));
  }

  private async record(batch: readonly Pending[]): Promise<void> {
    const { keys } = this;
    const scriptKeys = [keys.starts, keys.allRuns, keys.statusRuns('queued')];
    const args = [String(batch.length), keys.waitMatchPrefix];
    for (const item of batch) {
      scriptKeys.push(...item.keys);
      args.push(...item.args);
    }
    try {
      const firsts = await guard(() => this.commit(batch, scriptKeys, args));
      batch.forEach((item, i) => {
        item.settle({ first: firsts[i] ?? null });
      });
    } catch (error) {
      for (const item of batch) item.settle({ error });
    }
  }

  /** MULTI, the runs' HSETs, the ingest script, EXEC: the script's answer. */
  private async commit(
    batch: readonly Pending[],
    scriptKeys: readonly string[],
    args: readonly string[],
  ): Promise<Array<string | null>> {
    const transaction = this.redis.multi();
    for (const item of batch)
      for (const hash of item.hashes) transaction.hset(...(hash as [string, ...string[]]));
    if (this.scriptCached) transaction.evalsha(INGEST_SHA, scriptKeys.length, ...scriptKeys, ...args);
    else transaction.eval(INGEST_LUA, scriptKeys.length, ...scriptKeys, ...args);
    const replies = (await transaction.exec()) ?? [];
    for (const [error] of replies.slice(0, -1)) if (error) throw error;
    const [error, firsts] = replies[replies.length - 1] ?? [new Error('EXEC answered nothing')];
    if (!error) {
      this.scriptCached = true;
      return firsts as Array<string | null>;
    }
    if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
    // The cache was emptied under a live connection (SCRIPT FLUSH, a failover to a replica): the
    // hashes are written, and the script alone records their runs (ioredis sends it in full).
    // Lost in between (a crash), the hashes stay unindexed: never listed, never started.
    this.scriptCached = false;
    // EVAL rather than a defined command: ioredis routes (and, on a Cluster, auto-pipelines) it
    // by its keys; a defined command of variable key count goes by its first argument, the count.
    return (await this.redis.eval(INGEST_LUA, scriptKeys.length, ...scriptKeys, ...args)) as Array<
      string | null
    >;
  }
}
