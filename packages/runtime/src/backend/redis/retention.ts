import type { EngineLogger } from '../../log/logger';
import type { RunStatus } from '../../model/run-record';
import { keptAsFailure, type Retention, type RetentionBound } from '../retention';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

/** At most this many runs are dropped per pass, so one pass never blocks Redis for long. */
const BATCH = 500;
const TERMINAL = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * Files finished runs by kind, each kind in its own finished index within
 * its own bound: succeeded runs, and failed or cancelled ones, so a burst
 * of successes never trims the failures. Both indexes are under the
 * prefix's hash tag, like every key.
 */
export class RunRetention {
  readonly succeeded: RetentionTrimmer;
  readonly failed: RetentionTrimmer;

  constructor(redis: ScriptedRedis, keys: Keys, retention: Retention, log: EngineLogger, now: () => number) {
    this.succeeded = new RetentionTrimmer(redis, keys, keys.finished, retention, log, now);
    this.failed = new RetentionTrimmer(redis, keys, keys.finishedFailed, retention.failed, log, now);
  }

  /** The trimmer of the index a run that ended with this status is filed in. */
  of(status: RunStatus): RetentionTrimmer {
    return keptAsFailure(status) ? this.failed : this.succeeded;
  }

  /** How long the forEach items of a run live without a write: as long as any finished run. */
  get itemsExpiryMs(): number {
    return Math.max(this.succeeded.expiryMs, this.failed.expiryMs);
  }

  /** Called after a run ended with `status`, with the size of its finished index now. */
  afterFinish(status: RunStatus, finishedCount: number): void {
    const own = this.of(status);
    own.afterFinish(finishedCount);
    // The other index only for age: its old runs go even while only this kind ends.
    (own === this.failed ? this.succeeded : this.failed).afterFinish(0);
  }

  /** Runs a pass on both indexes (or joins those in progress). */
  async trim(): Promise<void> {
    await Promise.all([this.succeeded.trim(), this.failed.trim()]);
  }

  /** Waits for the passes in progress (before closing the connection). */
  async idle(): Promise<void> {
    await Promise.all([this.succeeded.idle(), this.failed.idle()]);
  }
}

/**
 * Keeps the runs of one finished index within a bound: beyond `runs` of
 * them, or older than `maxAgeMs`, they go, oldest first, with their index entries.
 * Runs that have not ended are never touched. A pass starts once the bound
 * is exceeded by a small slack (so it is not one pass per run), and at most
 * once a minute for age; any process may run one, and two at once only
 * delete the same keys twice.
 */
export class RetentionTrimmer {
  private pass: Promise<void> | undefined;
  private lastAgeSweep = 0;
  private readonly slack: number;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    /** The finished index this trimmer keeps: run ids scored by when they ended. */
    readonly index: string,
    readonly retention: RetentionBound,
    private readonly log: EngineLogger,
    private readonly now: () => number,
  ) {
    this.slack = Math.max(1, Math.min(1000, Math.floor(retention.runs / 100)));
  }

  /** How long a finished run's hash lives on its own: past maxAge, so a trim pass still finds its flow. */
  get expiryMs(): number {
    return this.retention.maxAgeMs + Math.min(this.retention.maxAgeMs, 3_600_000);
  }

  /** Called after a run ended, with the number of finished runs now kept. */
  afterFinish(finishedCount: number): void {
    const now = this.now();
    const ageDue = now - this.lastAgeSweep > Math.min(60_000, this.retention.maxAgeMs);
    if (finishedCount <= this.retention.runs + this.slack && !ageDue) return;
    void this.trim();
  }

  /** Runs one trimming pass (or joins the one in progress); resolves when it is done. */
  trim(): Promise<void> {
    this.pass ??= this.trimAll()
      .catch((err: unknown) => this.log.warn({ err }, 'trimming finished runs failed; retrying later'))
      .finally(() => {
        this.pass = undefined;
      });
    return this.pass;
  }

  /** Waits for a pass in progress (before closing the connection). */
  async idle(): Promise<void> {
    await this.pass;
  }

  private async trimAll(): Promise<void> {
    this.lastAgeSweep = this.now();
    let dropped = BATCH;
    while (dropped === BATCH) dropped = await this.trimBatch();
  }

  private async trimBatch(): Promise<number> {
    const { redis, keys, index } = this;
    const count = await guard(() => redis.zcard(index));
    const excess = Math.min(BATCH, count - this.retention.runs);
    const [overCount, overAge] = await guard(() =>
      Promise.all([
        excess > 0 ? redis.zrange(index, '0', String(excess - 1)) : Promise.resolve([]),
        redis.zrangebyscore(index, '-inf', String(this.now() - this.retention.maxAgeMs), 'LIMIT', 0, BATCH),
      ]),
    );
    const ids = [...new Set([...overCount, ...overAge])].slice(0, BATCH);
    if (ids.length === 0) return 0;
    const flows = await guard(() => Promise.all(ids.map((id) => redis.hget(keys.run(id), 'flow'))));
    const drop = redis.multi();
    ids.forEach((id, i) => {
      drop.del(keys.run(id), keys.items(id)).zrem(keys.allRuns, id).zrem(index, id);
      for (const status of TERMINAL) drop.zrem(keys.statusRuns(status), id);
      const flow = flows[i];
      if (flow) drop.zrem(keys.flowRuns(flow), id);
    });
    await guard(() => drop.exec());
    return ids.length;
  }
}
