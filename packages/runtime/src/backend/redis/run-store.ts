import type { ChainableCommander } from 'ioredis';
import {
  type ItemRecord,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type StepRecord,
  type StepStatus,
  TERMINAL_RUN_STATUSES,
} from '../../model/run-record';
import {
  type OrderTurn,
  type PutStepsOptions,
  putStepVia,
  type RunPatch,
  type RunQuery,
  type RunStore,
  type StepWrite,
} from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { RunRetention } from './retention';
import { RunCache } from './run-cache';
import { decodeItems, decodeVersionedRun, itemField, patchFields, runFields } from './run-codec';
import { listRuns } from './run-list';
import type { ScriptedRedis } from './scripts';

/** Status indexes in the order lua/patch-run.ts expects them. */
const STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

/**
 * Runs in Redis, one hash per run (see run-codec.ts). A step write is one
 * round trip that returns the run as it is afterwards; the compare-and-set
 * and the terminal transition are short scripts, so any number of workers
 * can write one run without overwriting each other. Reads and writes send
 * the version of this process's copy of the run (run-cache.ts), so the run
 * itself only crosses the wire, and is only decoded, when another process
 * changed it.
 */
export class RedisRunStore implements RunStore {
  private readonly cache = new RunCache();
  /** The indexes a step write may move its run between (lua/put-steps.ts), named once. */
  private readonly runningIndex: string;
  private readonly waitingIndex: string;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly retention: RunRetention,
    private readonly now: () => number,
  ) {
    this.runningIndex = keys.statusRuns('running');
    this.waitingIndex = keys.statusRuns('waiting');
  }

  async create(runs: readonly RunRecord[]): Promise<void> {
    if (runs.length === 0) return;
    const { keys } = this;
    const write = this.redis.multi();
    for (const run of runs) {
      write
        .hset(keys.run(run.id), ...runFields(run))
        .zadd(keys.allRuns, 0, run.id)
        .zadd(keys.flowRuns(run.flow), 0, run.id)
        .zadd(keys.statusRuns(run.status), 0, run.id);
      if (TERMINAL_RUN_STATUSES.has(run.status)) {
        const kept = this.retention.of(run.status);
        write.zadd(kept.index, this.now(), run.id).pexpire(keys.run(run.id), kept.expiryMs);
      }
    }
    await guard(() => write.exec());
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const reply = await guard(() => this.redis.batonGetRun(this.keys.run(id), this.cache.version(id)));
    if (reply === 1) {
      const held = this.cache.get(id);
      if (held) return held;
      // Dropped meanwhile by a concurrent task of this process: read it whole.
      return this.decode(id, await guard(() => this.redis.hgetall(this.keys.run(id))));
    }
    return this.decode(id, reply);
  }

  async putStep(
    runId: string,
    step: StepRecord,
    options: { ifStatus?: readonly StepStatus[] } = {},
  ): Promise<RunRecord | undefined> {
    return putStepVia(this, runId, step, options);
  }

  async putSteps(
    runId: string,
    writes: readonly StepWrite[],
    options: PutStepsOptions = {},
  ): Promise<{ written: boolean[]; run?: RunRecord } | undefined> {
    const jsons = writes.map((w) => JSON.stringify(w.step));
    const { basedOn } = options;
    // With a status to set, the two indexes it moves the run between and the run's id go along
    // (lua/put-steps.ts); a step's usual write sends neither.
    const status = basedOn ? options.status : undefined;
    const args: Array<string | number> = !basedOn
      ? [this.cache.version(runId), writes.length, '0']
      : status
        ? [this.runningIndex, this.waitingIndex, this.cache.versionOf(basedOn), writes.length, status, runId]
        : [this.cache.versionOf(basedOn), writes.length, '1'];
    writes.forEach((w, i) => {
      const allowed = w.ifStatus ?? [];
      // -1: any status; an empty list allows none, as in putStep.
      const count = w.ifStatus ? allowed.length : -1;
      args.push(w.step.id, jsons[i]!, w.step.status, w.required ? '1' : '0', count, ...allowed);
    });
    const runKey = this.keys.run(runId);
    const reply = await guard(() =>
      status ? this.redis.batonPutStepsSettling(runKey, ...args) : this.redis.batonPutSteps(runKey, ...args),
    );
    if (reply === 0) return undefined;
    const [mask, after, settled] = reply;
    const written = [...mask].map((flag) => flag === '1');
    if (after === undefined) return { written };
    const run =
      typeof after === 'number'
        ? (this.cache.withSteps(
            runId,
            jsons.filter((_, i) => written[i]),
            after,
            settled === 1 ? status : undefined,
          ) ?? (await this.get(runId)))
        : this.decode(runId, after);
    return run ? { written, run } : { written };
  }

  async putItem(runId: string, stepId: string, item: ItemRecord): Promise<ItemRecord[]> {
    const key = this.keys.items(runId);
    // The expiry keeps items of a run that ended meanwhile (and were deleted) from lingering.
    const [, , fields] = await transaction<[number, number, Record<string, string>]>(
      this.redis
        .multi()
        .hset(key, itemField(stepId, item.index), JSON.stringify(item))
        .pexpire(key, this.retention.itemsExpiryMs)
        .hgetall(key),
    );
    return decodeItems(stepId, fields);
  }

  async items(runId: string, stepId: string): Promise<ItemRecord[]> {
    const fields = await guard(() => this.redis.hgetall(this.keys.items(runId)));
    return decodeItems(stepId, fields);
  }

  async patch(
    runId: string,
    patch: RunPatch,
    options: { onlyIfActive?: boolean } = {},
  ): Promise<RunRecord | undefined> {
    const { keys } = this;
    const { appendAudit, status } = patch;
    // Only a terminal status files the run as finished: the index and expiry of its kind.
    const kept = this.retention.of(status ?? 'succeeded');
    const result = await guard(() =>
      this.redis.batonPatchRun(
        keys.run(runId),
        kept.index,
        keys.items(runId),
        ...STATUSES.map((s) => keys.statusRuns(s)),
        keys.starts,
        runId,
        options.onlyIfActive ? '1' : '0',
        this.now(),
        kept.expiryMs,
        appendAudit ? JSON.stringify(appendAudit) : '',
        status ?? '',
        this.cache.version(runId),
        keys.orderLinePrefix,
        ...patchFields(patch),
      ),
    );
    if (result === 0) return undefined;
    const [reply, finished] = result;
    if (finished >= 0 && status) this.retention.afterFinish(status, finished);
    if (typeof reply === 'number') return this.cache.withPatch(runId, patch, reply) ?? this.get(runId);
    return this.decode(runId, reply);
  }

  /** Drops this process's copies of runs: Redis may have lost writes they hold (an outage, a failover). */
  forgetCopies(): void {
    this.cache.clear();
  }

  /** Decodes a run's fields and keeps the copy while the run is active. */
  private decode(id: string, fields: readonly string[] | Record<string, string>): RunRecord | undefined {
    const decoded = decodeVersionedRun(id, fields);
    if (!decoded) {
      this.cache.forget(id);
      return undefined;
    }
    return this.cache.remember(decoded.run, decoded.version);
  }

  /** Runs a retention pass now (they also run on their own as runs finish). */
  async trim(): Promise<void> {
    await this.retention.idle();
    await this.retention.trim();
  }

  async turn(run: Pick<RunRecord, 'id' | 'flow' | 'orderKey'>): Promise<OrderTurn | undefined> {
    if (run.orderKey === undefined) return undefined;
    const line = this.keys.orderLine(run.flow, run.orderKey);
    const [first, at] = await transaction<[string | null, number | null]>(
      this.redis.multi().lindex(line, 0).lpos(line, run.id),
    );
    if (first === null || at === null || at === 0) return undefined;
    return { orderKey: run.orderKey, behind: first, ahead: at };
  }

  list(query: RunQuery): Promise<{ runs: RunSummary[]; next?: string }> {
    return listRuns(this.redis, this.keys, query);
  }

  async counts(): Promise<Record<RunStatus, number>> {
    const sizes = await guard(() =>
      Promise.all(STATUSES.map((status) => this.redis.zcard(this.keys.statusRuns(status)))),
    );
    return Object.fromEntries(STATUSES.map((status, i) => [status, sizes[i] ?? 0])) as Record<
      RunStatus,
      number
    >;
  }
}

/** Runs a MULTI and returns each command's result, throwing the first error (or BACKEND_UNAVAILABLE). */
async function transaction<T extends unknown[]>(multi: ChainableCommander): Promise<T> {
  return guard(async () => {
    const replies = await multi.exec();
    if (!replies) throw new Error('a Redis transaction was aborted');
    return replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    }) as T;
  });
}
